using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class GradientClippingTests
{
    private static (byte[] Weights, List<TrainingProgress> Reports) Train(double? clip)
    {
        var options = TrainerTests.TinyOptions(4);
        options.ReportEvery = 1;
        options.GradientClipNorm = clip;
        var reports = new List<TrainingProgress>();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), options, new SynchronousProgress<TrainingProgress>(reports.Add));
        return (DeaeModel.WeightsToBytes(model.Network), reports);
    }

    [Fact]
    public void EveryReportCarriesTheGradientNormAndALimitAboveItChangesNothing()
    {
        var (plain, plainReports) = Train(null);
        Assert.All(plainReports, r => Assert.True(double.IsFinite(r.GradientNorm) && r.GradientNorm > 0, $"step {r.Step}: |g| = {r.GradientNorm}"));

        // A limit above every step's norm leaves the run bit for bit as it was.
        double largest = plainReports.Max(r => r.GradientNorm);
        var (loose, looseReports) = Train(largest * 2);
        Assert.Equal(plain, loose);
        Assert.Equal(plainReports.Select(r => r.GradientNorm), looseReports.Select(r => r.GradientNorm));
    }

    [Fact]
    public void ALimitBelowTheNormChangesTheRun()
    {
        var (plain, plainReports) = Train(null);
        double limit = plainReports.Min(r => r.GradientNorm) / 4;
        var (clipped, clippedReports) = Train(limit);

        // The report gives the norm before clipping: the first step's gradients are the same...
        Assert.Equal(plainReports[0].GradientNorm, clippedReports[0].GradientNorm);
        // ...but every step was scaled down, so the weights (and later gradients) differ.
        Assert.NotEqual(plain, clipped);
        Assert.NotEqual(plainReports[^1].GradientNorm, clippedReports[^1].GradientNorm);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void ALimitThatIsNotPositiveIsNamed(double limit)
    {
        var options = TrainerTests.TinyOptions(1);
        options.GradientClipNorm = limit;
        var error = Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(TrainerTests.Tiny(), options));
        Assert.Contains("GradientClipNorm", error.Message);
    }
}
