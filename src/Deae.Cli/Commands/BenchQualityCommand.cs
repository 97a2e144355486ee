using System.CommandLine;
using System.Diagnostics;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Evaluation;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae bench quality</c>: the demo-scale quality bar — train the demo DEAE on 90% of the demo set
/// within a time budget, then score background and font-colour swaps on the held-out 10% from pixels.
/// </summary>
internal static class BenchQualityCommand
{
    public static Command Create()
    {
        var output = new BenchJsonOutput();
        var steps = new Option<int>("--steps") { Description = "Training steps (1600 take about 8 minutes on 2 cores).", DefaultValueFactory = _ => 1600 };
        var command = new Command("quality", "Held-out background and font-colour swap rates of the demo DEAE after a CPU training budget.") { output.Json, output.Overwrite, steps };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var (jsonPath, replace) = output.Target(parse);
            var watch = Stopwatch.StartNew();
            var all = FontsGenerator.Generate(DemoConfiguration.Data());
            var (train, heldOut) = all.Split(0.1, seed: 1);
            var options = DemoConfiguration.TrainerOptions(parse.GetValue(steps));
            using var model = TrainCommand.TrainWithProgress(train, options, resumeFrom: null);
            double seconds = watch.Elapsed.TotalSeconds;
            var background = SwapEvaluator.Evaluate(model, heldOut, SwapEvaluator.Background, pairs: 300, seed: 11);
            var font = SwapEvaluator.Evaluate(model, heldOut, SwapEvaluator.FontColor, pairs: 300, seed: 11);
            BenchCommands.WriteResult(new Dictionary<string, object>
            {
                ["configuration"] = $"{options.Architecture}; {options.Steps} steps; regulariser weight {options.EffectiveRegulariserWeight}",
                ["train_images"] = train.Count,
                ["held_out_images"] = heldOut.Count,
                ["training_seconds"] = Math.Round(seconds, 1),
                ["background_swap_target_rate"] = Math.Round(background.TargetRate, 4),
                ["background_swap_font_colour_kept_rate"] = Math.Round(background.KeptRate, 4),
                ["font_colour_swap_target_rate"] = Math.Round(font.TargetRate, 4),
                ["font_colour_swap_background_kept_rate"] = Math.Round(font.KeptRate, 4),
                ["meets_bar"] = seconds <= 600 && background.TargetRate >= 0.95 && background.KeptRate >= 0.90,
            }, jsonPath, replace);
            return 0;
        }));
        return command;
    }
}
