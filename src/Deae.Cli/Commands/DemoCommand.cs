using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Runtime;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae demo</c>: the README's main job. Renders the demo's Fonts-like set, trains a small DEAE on
/// it, and writes the data, a sample grid, the model and a reconstruction/swap grid. Each run writes a
/// new time-stamped folder, so nothing is overwritten.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Parent folder of the run folder.", DefaultValueFactory = _ => "demo-output" };
        var steps = new Option<int>("--steps") { Description = "Training steps (about 3 per second on 2 cores).", DefaultValueFactory = _ => 800 };
        var command = new Command("demo", "Render a Fonts-like set, train a small DEAE on it, and draw its reconstructions and attribute swaps.") { output, steps };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string run = Path.Combine(parse.GetValue(output)!, $"run-{DateTime.Now:yyyyMMdd-HHmmss}");
            DatasetWriter.EnsureWritable(run, overwrite: false);
            TorchRuntime.EnsureLoaded();
            Console.WriteLine($"torch    : TorchSharp loaded ({TorchRuntime.AppliedRemedy ?? "no remedy needed"})");

            var options = DemoConfiguration.Data();
            var samples = FontsGenerator.Plan(options);
            var data = CliRunner.WithProgress("rendering", samples.Count, progress => FontsGenerator.Render(samples, options.ImageSize, progress: progress));
            string manifest = DatasetWriter.Write(data, Path.Combine(run, "data"), "fonts", overwrite: false);
            string samplesPng = Path.Combine(run, "samples.png");
            // Consecutive images differ only in the font: sample across the whole set.
            var picks = Enumerable.Range(0, 60).Select(k => (int)((long)k * 7919 % data.Count)).ToList();
            ImageGrid.Save(data, picks, 12, samplesPng, overwrite: false, scale: 2);
            Console.WriteLine($"data set : {data.Count} images ({string.Join(", ", data.Attributes)}) -> {manifest}");
            Console.WriteLine($"samples  : {samplesPng}");

            var trainer = DemoConfiguration.TrainerOptions(parse.GetValue(steps));
            using var model = TrainCommand.TrainWithProgress(data, trainer, resumeFrom: null);
            string modelPath = Path.Combine(run, "deae.model");
            model.Save(modelPath, overwrite: false);
            string swaps = Path.Combine(run, "swaps.png");
            ModelGrid.SaveReconstructionsAndSwaps(model, data, swaps, columns: 10, seed: 7, overwrite: false);
            Console.WriteLine($"model    : {modelPath} ({model.Architecture}, layout {model.Layout}; trained on {model.Device})");
            Console.WriteLine($"swaps    : {swaps} (rows: X, reconstruction, Y, then Y's {string.Join(" / ", model.Layout.Attributes)} swapped into X)");
            TrainCommand.PrintColourSwaps(model, data);
            return 0;
        }));
        return command;
    }
}
