using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class CollapseDetectionTests
{
    [Fact]
    public void ARunWhoseCodesCollapseStopsWithAnErrorThatNamesTheRemedies()
    {
        // At weight 1 the cycle loss on latents, whose minimum is one code for every image, wins on the
        // tiny network long before the decoder uses the codes (at 64×64 on the demo set 0.01 was enough).
        var data = TrainerTests.Tiny();
        var options = TrainerTests.TinyOptions(400, ModelKind.GslAe);
        options.CycleWeight = 1;
        var error = Assert.Throws<TrainingCollapsedException>(() => DeaeTrainer.Train(data, options));
        Assert.InRange(error.Step, CollapseMonitor.Window, 399);
        Assert.True(error.Spread < 0.1 * error.StartSpread, $"{error.Spread} vs {error.StartSpread}");
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains("CycleWarmupSteps", error.Message);
        Assert.Contains("CollapseRatio", error.Message);

        // Not a false alarm: let through, the same run ends giving every image nearly the same code, and the
        // run without the cycle loss does not (and is not stopped).
        options.CollapseRatio = 0;
        using var collapsed = DeaeTrainer.Train(data, options);
        Assert.Equal(400, collapsed.TrainedSteps);
        options.CycleWeight = 0;
        options.CollapseRatio = new DeaeTrainerOptions().CollapseRatio;
        using var healthy = DeaeTrainer.Train(data, options);
        double collapsedSpread = Spread(collapsed, data), healthySpread = Spread(healthy, data);
        Assert.True(collapsedSpread < 0.1 * healthySpread, $"collapsed {collapsedSpread:F4}, healthy {healthySpread:F4}");
    }

    [Fact]
    public void TheBetaVaeIsNotStoppedWhenItsKlTermPullsTheMeansTogether()
    {
        var options = TrainerTests.TinyOptions(300, ModelKind.BetaVae);
        options.Beta = 1000; // the KL term alone: every mean goes to 0, as the β-VAE asks
        var spreads = new List<double>();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), options, new SynchronousProgress<TrainingProgress>(p => spreads.Add(p.CodeSpread)));
        Assert.Equal(300, model.TrainedSteps);
        Assert.True(spreads.TakeLast(50).Average() < 0.1 * spreads.Take(10).Average(), $"the means did pull together: {spreads.Take(10).Average():F4} to {spreads.TakeLast(50).Average():F4}");
    }

    [Fact]
    public void TheMonitorComparesTheLastFiftyStepsWithTheFirstTen()
    {
        var monitor = new CollapseMonitor(0.1);
        for (int step = 1; step <= 10; step++)
        {
            monitor.Observe(step, 1.0);
        }

        // One step far below does not stop the run, and a spread that is not a number is not counted.
        monitor.Observe(11, 0.0);
        monitor.Observe(12, double.NaN);
        // Then 0.05 for good: the run stops at the first step whose last 50 finite spreads average below 0.1.
        int stopped = 0;
        for (int step = 13; step <= 200 && stopped == 0; step++)
        {
            try
            {
                monitor.Observe(step, 0.05);
            }
            catch (TrainingCollapsedException e)
            {
                stopped = e.Step;
                Assert.Equal(1.0, e.StartSpread, 6);
                Assert.True(e.Spread < 0.1);
            }
        }

        Assert.Equal(ExpectedStop(), stopped);

        var never = new CollapseMonitor(0);
        for (int step = 1; step <= 100; step++)
        {
            never.Observe(step, step <= 10 ? 1.0 : 0.0);
        }
    }

    /// <summary>The first step whose last 50 finite spreads average below 0.1, by direct computation.</summary>
    private static int ExpectedStop()
    {
        var seen = new List<(int Step, double Spread)>();
        for (int step = 1; step <= 200; step++)
        {
            double spread = step <= 10 ? 1.0 : step == 11 ? 0.0 : step == 12 ? double.NaN : 0.05;
            if (double.IsFinite(spread))
            {
                seen.Add((step, spread));
            }

            if (seen.Count >= 50 && seen.TakeLast(50).Average(s => s.Spread) < 0.1)
            {
                return step;
            }
        }

        return -1;
    }

    /// <summary>The standard deviation of the model's codes over the whole set, averaged over the latent dimensions.</summary>
    private static double Spread(DeaeModel model, Data.ImageDataset data)
    {
        var codes = model.Encode(Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToList());
        int z = codes[0].Length;
        return Enumerable.Range(0, z).Average(d =>
        {
            double mean = codes.Average(c => c[d]);
            return Math.Sqrt(codes.Average(c => (c[d] - mean) * (c[d] - mean)));
        });
    }
}
