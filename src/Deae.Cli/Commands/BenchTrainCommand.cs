using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Deae.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae bench train</c>: the training step's overhead over a bare forward/backward/Adam step of the
/// same networks, achieved FLOP/s against a matrix-product peak measured in the same run, images per
/// second of DEAE and GSL-AE, and peak memory for a data set of N and 4N images.
/// </summary>
internal static class BenchTrainCommand
{
    // A–Z gives 35,100 distinct images (× 3 sizes, 10 × 9 colours, 5 faces), room for 4N = 32,000, so the
    // byte cache grows by ~70 MB between the two runs: well above the ±10 MB spread of single peaks.
    private const string BenchLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // Rounds of back-to-back timings; the median round is reported.
    private const int Rounds = 3;

    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing JSON file." };
        var steps = new Option<int>("--steps") { Description = "Timed steps per measurement.", DefaultValueFactory = _ => 20 };
        var images = new Option<int>("--images") { Description = "N, the smaller data set (the larger is 4N).", DefaultValueFactory = _ => 8000 };
        var (width, hidden, latent) = NetworkOptions();
        var command = new Command("train", "Training speed and memory at the demo configuration (32x32 Fonts-like; the network can be changed).") { json, overwrite, steps, images, width, hidden, latent };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string? jsonPath = parse.GetValue(json);
            bool replace = parse.GetValue(overwrite);
            CliRunner.EnsureFileWritable(jsonPath, replace);

            TorchRuntime.EnsureLoaded();
            int timed = parse.GetValue(steps), n = parse.GetValue(images);
            var result = Run(timed, n, Network(parse, width, hidden, latent));
            BenchCommands.WriteResult(result, jsonPath, replace);

            return 0;
        }));
        return command;
    }

    /// <summary>The --width/--hidden/--latent options, defaulting to the demo network.</summary>
    private static (Option<int> Width, Option<int> Hidden, Option<int> Latent) NetworkOptions()
    {
        var demo = DemoConfiguration.TrainerOptions(1).Architecture;
        return (new Option<int>("--width") { Description = "Base convolution width.", DefaultValueFactory = _ => demo.BaseWidth },
            new Option<int>("--hidden") { Description = "Hidden fully connected width.", DefaultValueFactory = _ => demo.HiddenSize },
            new Option<int>("--latent") { Description = "Latent dimension z.", DefaultValueFactory = _ => demo.LatentDimension });
    }

    private static DeaeArchitecture Network(ParseResult parse, Option<int> width, Option<int> hidden, Option<int> latent)
    {
        var architecture = DemoConfiguration.TrainerOptions(1).Architecture;
        architecture.BaseWidth = parse.GetValue(width);
        architecture.HiddenSize = parse.GetValue(hidden);
        architecture.LatentDimension = parse.GetValue(latent);
        return architecture;
    }

    private static DeaeTrainerOptions Options(int steps, DeaeArchitecture architecture)
    {
        var options = DemoConfiguration.TrainerOptions(steps);
        options.Architecture = architecture.Clone();
        return options;
    }

    private static Dictionary<string, object> Run(int steps, int n, DeaeArchitecture network)
    {
        var fonts = new FontsOptions { Letters = BenchLetters, MaxFonts = 5, ImageSize = 32, MaxImages = 4 * n };
        var large = FontsGenerator.Generate(fonts);
        fonts.MaxImages = n;
        var small = FontsGenerator.Generate(fonts);
        var options = Options(steps, network);
        var architecture = options.Architecture;
        int groups = options.GroupsPerBatch, m = small.Attributes.Count, interpolations = options.InterpolationsPerGroup;

        // Image passes of one DEAE step: encoder on the group images and the re-encoded interpolations;
        // decoder on reconstructions, 2m swaps + 1 recombination per group, and the interpolations.
        int encoded = (groups * (m + 1)) + (groups * interpolations);
        int decoded = (groups * (m + 1)) + (groups * ((2 * m) + 1)) + (groups * interpolations);

        // Timings drift with this machine's state (its matmul peak alone moved 88–172 GFLOP/s between
        // runs), so each ratio is taken within a round of back-to-back measurements, and the median round
        // is reported: a slow minute then moves numerator and denominator together.
        double flopsPerStep = 3.0 * ((encoded * EncoderFlops(architecture)) + (decoded * DecoderFlops(architecture))); // forward + ~2x backward
        var rounds = Enumerable.Range(0, Rounds).Select(_ =>
        {
            double deaeRound = TimeTraining(small, options, ModelKind.Deae);
            double bareRound = TimeBareSteps(architecture, encoded, decoded, steps, options.LearningRate);
            double gslRound = TimeTraining(small, options, ModelKind.GslAe);
            double peakRound = MatmulPeakFlops();
            return (Deae: deaeRound, Bare: bareRound, Gsl: gslRound, Peak: peakRound, Overhead: deaeRound / bareRound, Utilisation: flopsPerStep / deaeRound / peakRound);
        }).ToList();
        // Each figure comes from its own median round, and the figures derived together from that round.
        var overheadRound = Median(rounds, r => r.Overhead);
        var utilisationRound = Median(rounds, r => r.Utilisation);
        double gsl = Median(rounds, r => r.Gsl).Gsl;

        // Memory is measured in fresh processes, one per data set size, so that neither run's allocator
        // history inflates the other's; the median of three, because single peaks here vary by tens of MB
        // between identical runs, as much as the 4N − N cache growth being judged (docs/training.md).
        var (rssSmall, dataSmall) = MedianMemory(small.Count, steps, architecture);
        var (rssLarge, dataLarge) = MedianMemory(large.Count, steps, architecture);

        long imageBytes = (long)architecture.ImageSize * architecture.ImageSize * architecture.Channels;
        long cacheGrowth = (large.Count - small.Count) * imageBytes;
        return new Dictionary<string, object>
        {
            ["configuration"] = $"{architecture}; {groups} groups/step; {interpolations} interpolation(s)/group",
            ["threads"] = torch.get_num_threads(),
            ["seconds_per_step_deae"] = Math.Round(overheadRound.Deae, 4),
            ["seconds_per_step_bare"] = Math.Round(overheadRound.Bare, 4),
            ["step_overhead_ratio"] = Math.Round(overheadRound.Overhead, 3),
            ["step_overhead_ratio_rounds"] = rounds.Select(r => Math.Round(r.Overhead, 3)).ToArray(),
            ["training_flop_per_step"] = flopsPerStep,
            ["achieved_gflops"] = Math.Round(flopsPerStep / utilisationRound.Deae / 1e9, 2),
            ["matmul_peak_gflops"] = Math.Round(utilisationRound.Peak / 1e9, 2),
            ["flop_utilisation"] = Math.Round(utilisationRound.Utilisation, 3),
            ["flop_utilisation_rounds"] = rounds.Select(r => Math.Round(r.Utilisation, 3)).ToArray(),
            ["images_per_second_deae"] = Math.Round(groups * (m + 1) / Median(rounds, r => r.Deae).Deae, 1),
            ["images_per_second_gslae"] = Math.Round(groups * (m + 1) / gsl, 1),
            ["dataset_n"] = small.Count,
            ["dataset_4n"] = large.Count,
            ["peak_rss_mb_n"] = Math.Round(rssSmall / 1048576.0, 1),
            ["peak_rss_mb_4n"] = Math.Round(rssLarge / 1048576.0, 1),
            ["byte_cache_growth_mb"] = Math.Round(cacheGrowth / 1048576.0, 1),
            ["rss_growth_over_cache_growth"] = Math.Round((double)(rssLarge - rssSmall) / Math.Max(1, cacheGrowth), 3),
            // The resident set once the data set is built, before training: steadier than the peak.
            ["data_rss_mb_n"] = Math.Round(dataSmall / 1048576.0, 1),
            ["data_rss_mb_4n"] = Math.Round(dataLarge / 1048576.0, 1),
            ["data_rss_growth_over_cache_growth"] = Math.Round((double)(dataLarge - dataSmall) / Math.Max(1, cacheGrowth), 3),
        };
    }

    /// <summary><c>deae bench train-memory</c> (hidden): trains on N demo images and prints the resident set once the data set is built, then the process's peak RSS, in bytes.</summary>
    public static Command CreateMemoryProbe()
    {
        var images = new Option<int>("--images") { Required = true };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 20 };
        var (width, hidden, latent) = NetworkOptions();
        var command = new Command("train-memory", "Peak RSS of training on N images (used by bench train).") { images, steps, width, hidden, latent };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            var fonts = new FontsOptions { Letters = BenchLetters, MaxFonts = 5, ImageSize = 32, MaxImages = parse.GetValue(images) };
            var data = FontsGenerator.Generate(fonts);
            Console.WriteLine($"data {ProcStatusBytes("VmRSS:")}");
            using (DeaeTrainer.Train(data, Options(parse.GetValue(steps), Network(parse, width, hidden, latent))))
            {
            }

            Console.WriteLine($"peak {ProcStatusBytes("VmHWM:")}");
            return 0;
        });
        return command;
    }

    /// <summary>Peak RSS (the median of three fresh processes) and the resident set with the data built (its own median).</summary>
    private static (long Peak, long Data) MedianMemory(int images, int steps, DeaeArchitecture architecture)
    {
        var runs = Enumerable.Range(0, 3).Select(_ => MeasureInChild(images, steps, architecture)).ToList();
        return (Median(runs, r => r.Peak).Peak, Median(runs, r => r.Data).Data);
    }

    /// <summary>The item with the median <paramref name="key"/> (an odd count of items).</summary>
    private static T Median<T>(IReadOnlyList<T> items, Func<T, double> key) => items.OrderBy(key).ElementAt(items.Count / 2);

    private static (long Peak, long Data) MeasureInChild(int images, int steps, DeaeArchitecture architecture)
    {
        // Run this same program again: the apphost directly, or "dotnet deae.dll".
        string program = Environment.ProcessPath!;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchTrainCommand).Assembly.Location);
        }

        var numbers = new[] { images, steps, architecture.BaseWidth, architecture.HiddenSize, architecture.LatentDimension }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (string argument in new[] { "bench", "train-memory", "--images", numbers[0], "--steps", numbers[1], "--width", numbers[2], "--hidden", numbers[3], "--latent", numbers[4] })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        // The probe prints "data <bytes>" and "peak <bytes>" (after whatever the trainer writes).
        string Value(string name) => output.Split('\n', StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "";
        return child.ExitCode == 0 && long.TryParse(Value("peak"), out long peakBytes) && long.TryParse(Value("data"), out long dataBytes)
            ? (peakBytes, dataBytes)
            : throw new InvalidOperationException($"The memory probe failed (exit {child.ExitCode}): {output}");
    }

    /// <summary>Seconds per step of real training (after two warm-up steps).</summary>
    private static double TimeTraining(ImageDataset data, DeaeTrainerOptions template, ModelKind kind)
    {
        double seconds = double.MaxValue;
        var watch = new Stopwatch();
        var options = Options(template.Steps + 2, template.Architecture);
        options.Kind = kind;
        options.ReportEvery = 1;
        var progress = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Step == 2)
            {
                watch.Restart();
            }
            else if (report.Step == options.Steps)
            {
                seconds = watch.Elapsed.TotalSeconds / (options.Steps - 2);
            }
        });
        using var model = DeaeTrainer.Train(data, options, progress);
        return seconds;
    }

    /// <summary>Seconds per bare step: encode E images, decode D codes, one MSE, backward, Adam.</summary>
    private static double TimeBareSteps(DeaeArchitecture architecture, int encoded, int decoded, int steps, double learningRate)
    {
        torch.manual_seed(1);
        using var network = new DeaeNetwork(architecture, variational: false);
        using var optimizer = new ScalarSafeOptimizers.Adam(network.parameters(), learningRate); // the trainer's optimizer
        using var images = torch.rand(encoded, architecture.Channels, architecture.ImageSize, architecture.ImageSize).Times(2).Plus(-1.0);
        using var codes = torch.randn(decoded, architecture.LatentDimension);
        var watch = new Stopwatch();
        for (int step = 0; step < steps + 2; step++)
        {
            if (step == 2)
            {
                watch.Restart();
            }

            using var scope = NewDisposeScope();
            var z = network.Encoder.forward(images);
            var x = network.Decoder.forward(codes);
            var loss = z.Squared().mean().Plus(x.Squared().mean());
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        }

        return watch.Elapsed.TotalSeconds / steps;
    }

    /// <summary>Forward FLOPs of one image through the encoder (multiply-adds × 2; norms and activations ignored).</summary>
    internal static double EncoderFlops(DeaeArchitecture a)
    {
        int[] w = a.Widths();
        double flops = 2.0 * a.Channels * w[0] * 49 * a.ImageSize * a.ImageSize;
        for (int s = 0; s < a.Stages; s++)
        {
            int output = a.ImageSize >> (s + 1);
            flops += 2.0 * w[s] * w[s + 1] * 16 * output * output;
        }

        flops += a.ResidualBlocks * 2 * (2.0 * w[^1] * w[^1] * 9 * a.FeatureSize * a.FeatureSize);
        return flops + (2.0 * a.FeatureCount * a.HiddenSize) + (2.0 * a.HiddenSize * a.LatentDimension);
    }

    /// <summary>Forward FLOPs of one code through the decoder (the encoder's mirror).</summary>
    internal static double DecoderFlops(DeaeArchitecture a) => EncoderFlops(a);

    /// <summary>Float32 matrix-product FLOP/s (2048³, best of five) with the same threads.</summary>
    private static double MatmulPeakFlops()
    {
        using var x = torch.randn(2048, 2048);
        using var y = torch.randn(2048, 2048);
        double best = double.MaxValue;
        for (int r = 0; r < 6; r++)
        {
            var watch = Stopwatch.StartNew();
            using var z = x.mm(y);
            _ = z[0, 0].item<float>();
            if (r > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
        }

        return 2.0 * 2048 * 2048 * 2048 / best;
    }

    /// <summary>A size from /proc/self/status (VmHWM: the peak resident set; VmRSS: the current one); Linux only, the working set elsewhere.</summary>
    private static long ProcStatusBytes(string field)
    {
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) : null;
        return line is null ? Environment.WorkingSet : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
