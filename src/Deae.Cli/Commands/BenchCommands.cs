using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.IO;

namespace Deae.Cli.Commands;

/// <summary><c>deae bench …</c>: speed measured side by side in one run and reported as ratios.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks that report ratios measured side by side in one run.");
        command.Add(CreateGenerate());
        command.Add(BenchTrainCommand.Create());
        command.Add(BenchTransformCommand.Create());
        command.Add(BenchQualityCommand.Create());
        command.Add(BenchTrainCommand.CreateMemoryProbe());
        command.Add(BenchConcurrentCommand.Create());
        command.Add(BenchConcurrentCommand.CreateRateProbe());
        return command;
    }

    private static Command CreateGenerate()
    {
        var output = new BenchJsonOutput();
        var count = new Option<int>("--images") { Description = "Images per measurement.", DefaultValueFactory = _ => 12000 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var command = new Command("generate", "Fonts-like generation speed (images/s) on 1 core and on all cores, rendering alone and with PNG encoding.")
        {
            output.Json, output.Overwrite, count, imageSize,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var (jsonPath, replace) = output.Target(parse);
            var options = new FontsOptions { MaxImages = parse.GetValue(count), ImageSize = parse.GetValue(imageSize), MaxFonts = 8 };
            var samples = FontsGenerator.Plan(options);
            int cores = Environment.ProcessorCount;
            var (single, all) = SideBySide(samples.Count, () => FontsGenerator.Render(samples, options.ImageSize, 1), () => FontsGenerator.Render(samples, options.ImageSize, cores));
            var data = FontsGenerator.Render(samples, options.ImageSize);
            var (encode1, encodeAll) = SideBySide(samples.Count, () => EncodeAll(data, 1), () => EncodeAll(data, cores));
            var result = new Dictionary<string, object>
            {
                ["images"] = samples.Count,
                ["image_size"] = options.ImageSize,
                ["cores"] = Environment.ProcessorCount,
                ["render_images_per_second_1_core"] = Math.Round(single, 1),
                ["render_images_per_second_all_cores"] = Math.Round(all, 1),
                ["render_parallel_speedup"] = Math.Round(all / single, 3),
                ["png_encode_images_per_second_1_core"] = Math.Round(encode1, 1),
                ["png_encode_images_per_second_all_cores"] = Math.Round(encodeAll, 1),
                ["png_encode_parallel_speedup"] = Math.Round(encodeAll / encode1, 3),
            };
            WriteResult(result, jsonPath, replace);
            return 0;
        }));
        return command;
    }

    /// <summary>Prints the results as JSON and, when asked, writes them to a file atomically.</summary>
    internal static void WriteResult(Dictionary<string, object> result, string? jsonPath, bool overwrite)
    {
        string text = JsonSerializer.Serialize(result, CliRunner.ReportJson);
        Console.WriteLine(text);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllBytes(jsonPath, System.Text.Encoding.UTF8.GetBytes(text + "\n"), overwrite);
        }
    }

    /// <summary>
    /// Starts this same program again (the apphost directly, or <c>dotnet deae.dll</c>) with <paramref name="arguments"/>,
    /// <paramref name="environment"/> applied to its environment (a null value removes the variable), and standard output redirected.
    /// </summary>
    internal static Process StartSelf(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        string program = Environment.ProcessPath!;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        ChildEnvironment.Apply(start, environment);

        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommands).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>The value a probe printed on its last line <c>name value</c>, or "" when it printed none.</summary>
    internal static string ProbeValue(string output, string name) =>
        output.Split('\n', StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "";

    private static void EncodeAll(ImageDataset data, int threads) =>
        Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => DatasetWriter.EncodePng(data.GetPixels(i), data.Width, data.Height, data.Channels));

    /// <summary>
    /// Rates (items per second) of two ways of doing the same work, measured alternately after a
    /// warm-up of both (so that neither is timed on code the JIT has not optimised yet); best of five.
    /// </summary>
    internal static (double First, double Second) SideBySide(int items, Action first, Action second)
    {
        for (int w = 0; w < 2; w++)
        {
            first();
            second();
        }

        double bestFirst = double.MaxValue, bestSecond = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var watch = Stopwatch.StartNew();
            first();
            bestFirst = Math.Min(bestFirst, watch.Elapsed.TotalSeconds);
            watch.Restart();
            second();
            bestSecond = Math.Min(bestSecond, watch.Elapsed.TotalSeconds);
        }

        return (items / bestFirst, items / bestSecond);
    }
}
