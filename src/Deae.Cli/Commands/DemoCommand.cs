using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Runtime;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae demo</c>: the README's main job. Renders a small Fonts-like set, writes it with its
/// manifest, and draws a sample grid. Each run writes a new time-stamped folder, so nothing is overwritten.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Parent folder of the run folder.", DefaultValueFactory = _ => "demo-output" };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var command = new Command("demo", "Render a small Fonts-like set and a sample grid PNG (later: train a DEAE and synthesise).") { output, imageSize };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string run = Path.Combine(parse.GetValue(output)!, $"run-{DateTime.Now:yyyyMMdd-HHmmss}");
            DatasetWriter.EnsureWritable(run, overwrite: false);
            var options = new FontsOptions
            {
                Letters = "ABCDEFabcdef",
                FontColors = ["red", "yellow", "green", "blue"],
                BackgroundColors = ["orange", "cyan", "purple", "silver"],
                MaxFonts = 4,
                ImageSize = parse.GetValue(imageSize),
            };
            var samples = FontsGenerator.Plan(options);
            var data = CliRunner.WithProgress("rendering", samples.Count, progress => FontsGenerator.Render(samples, options.ImageSize, progress: progress));
            string manifest = DatasetWriter.Write(data, Path.Combine(run, "data"), "fonts", overwrite: false);

            // Every image of one font colour/background pair would look alike: sample across the set.
            int columns = 12;
            var picks = Enumerable.Range(0, 96).Select(k => (int)((long)k * 7919 % data.Count)).ToList();
            string grid = Path.Combine(run, "samples.png");
            ImageGrid.Save(data, picks, columns, grid, overwrite: false, scale: Math.Max(1, 64 / data.Width));

            TorchRuntime.EnsureLoaded();
            Console.WriteLine($"data set : {data.Count} images ({string.Join(", ", data.Attributes)}) -> {manifest}");
            Console.WriteLine($"samples  : {grid}");
            Console.WriteLine($"torch    : TorchSharp loaded ({TorchRuntime.AppliedRemedy ?? "no remedy needed"})");
            return 0;
        }));
        return command;
    }
}
