using Deae.Cli.Commands;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class ObjectiveCliOptionsTests
{
    [Fact]
    public void TrainAndEvaluateBothPassTheObjectiveAndTheCycleWeightToTheTrainer()
    {
        string[] given = ["--cycle-weight", "0.5", "--reg-weight", "0.02", "--reg-gradient", "EncoderOnly", "--interpolations", "3", "--clip-grad-norm", "1", "--cycle-warmup", "150", "--collapse-ratio", "0"];
        foreach (var (command, required) in new[] { (TrainCommand.Create(), new[] { "-d", "data", "-o", "m.deae" }), (EvaluateCommand.Create(), ["-d", "data"]) })
        {
            Assert.Empty(command.Parse([.. given, .. required]).Errors);
        }

        var objective = new ObjectiveCliOptions(new DeaeTrainerOptions());
        var host = new System.CommandLine.Command("host");
        objective.AddTo(host);
        var options = new DeaeTrainerOptions();
        objective.Apply(host.Parse(given), options);
        Assert.Equal((0.5, 0.02, RegulariserGradient.EncoderOnly, 3, 1.0), (options.CycleWeight, options.RegulariserWeight, options.RegulariserGradient, options.InterpolationsPerGroup, options.GradientClipNorm));
        Assert.Equal((150, 0.0), (options.CycleWarmupSteps, options.CollapseRatio));

        // Not given: the defaults the options were made with, not the type's.
        var defaults = new DeaeTrainerOptions { CycleWeight = 0.25, RegulariserWeight = 0.003, CollapseRatio = 0.2 };
        var untouched = new ObjectiveCliOptions(defaults);
        var other = new System.CommandLine.Command("other");
        untouched.AddTo(other);
        var applied = new DeaeTrainerOptions();
        untouched.Apply(other.Parse([]), applied);
        Assert.Equal((0.25, 0.003, defaults.RegulariserGradient, defaults.GradientClipNorm), (applied.CycleWeight, applied.RegulariserWeight, applied.RegulariserGradient, applied.GradientClipNorm));
        Assert.Equal((0, 0.2), (applied.CycleWarmupSteps, applied.CollapseRatio));
    }
}
