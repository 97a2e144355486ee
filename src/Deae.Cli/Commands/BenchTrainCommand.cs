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
    // byte cache grows by ~70 MB between the two runs, about as much as single training peaks under glibc's
    // default allocator vary (hence also the fixed-threshold measurement below).
    private const string BenchLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // Training steps of each memory probe: enough for Adam's state and the step's peak.
    private const int MemoryProbeSteps = 20;

    // One 2048³ float32 matrix product.
    private const double MatmulFlops = 2.0 * 2048 * 2048 * 2048;

    public static Command Create()
    {
        var output = new BenchJsonOutput();
        var steps = new Option<int>("--steps") { Description = "Timed training steps of DEAE (each paired with a bare step and a matrix product) and of GSL-AE.", DefaultValueFactory = _ => 60 };
        var images = new Option<int>("--images") { Description = "N, the smaller data set (the larger is 4N).", DefaultValueFactory = _ => 8000 };
        var (width, hidden, latent) = NetworkOptions();
        var command = new Command("train", "Training speed and memory at the demo configuration (32x32 Fonts-like; the network can be changed).") { output.Json, output.Overwrite, steps, images, width, hidden, latent };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var (jsonPath, replace) = output.Target(parse);

            TorchRuntime.EnsureLoaded();
            int timed = parse.GetValue(steps), n = parse.GetValue(images);
            if (timed < 1)
            {
                throw new OptionException("Steps", "--steps", $"{timed} must be at least 1.");
            }

            int available = FontsGenerator.Plan(BenchFonts(null)).Count;
            if (n < 1 || 4L * n > available)
            {
                throw new OptionException("Images", "--images", $"{n} must be between 1 and {available / 4}: the benchmark's set has {available} distinct images, and 4N must fit.");
            }

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

    /// <summary>The benchmark's Fonts-like set (26 letters, 5 faces, 32×32), sampled down to <paramref name="images"/>.</summary>
    internal static FontsOptions BenchFonts(int? images) => new() { Letters = BenchLetters, MaxFonts = 5, ImageSize = 32, MaxImages = images };

    internal static DeaeTrainerOptions Options(int steps, DeaeArchitecture architecture)
    {
        var options = DemoConfiguration.TrainerOptions(steps);
        options.Architecture = architecture.Clone();
        return options;
    }

    private static Dictionary<string, object> Run(int steps, int n, DeaeArchitecture network)
    {
        // Only N images are trained on here; the 4N set is rendered in its own memory probes, so here it is planned, not drawn.
        var small = FontsGenerator.Generate(BenchFonts(n));
        int largeCount = FontsGenerator.Plan(BenchFonts(4 * n)).Count;
        var options = Options(steps, network);
        var architecture = options.Architecture;
        int groups = options.GroupsPerBatch, m = small.Attributes.Count, interpolations = options.InterpolationsPerGroup;

        // Image passes of one DEAE step: encoder on the group images and the re-encoded interpolations;
        // decoder on reconstructions, 2m swaps + 1 recombination per group, and the interpolations.
        int encoded = (groups * (m + 1)) + (groups * interpolations);
        int decoded = (groups * (m + 1)) + (groups * ((2 * m) + 1)) + (groups * interpolations);

        // Timings drift with this machine's state (its matmul peak alone moved 88–172 GFLOP/s between
        // runs, and three back-to-back rounds of 20 steps gave overhead ratios from 0.89 to 1.28), so every
        // DEAE training step is followed at once by one bare step and one matrix product, and the ratios are
        // medians over these pairs: a slow second then slows both sides of a pair.
        double flopsPerStep = 3.0 * ((encoded * EncoderFlops(architecture)) + (decoded * DecoderFlops(architecture))); // forward + ~2x backward
        var device = DeviceSelection.Resolve(options.Device);
        var paired = TimePairedSteps(small, options, device, encoded, decoded);
        double gsl = Median(TimeSteps(small, options, ModelKind.GslAe));
        double deae = Median(paired.Select(p => p.Deae));
        double bare = Median(paired.Select(p => p.Bare));

        // The peak is the fastest matrix product of the run; achieved FLOP/s from the median DEAE step.
        double peak = MatmulFlops / paired.Min(p => p.Matmul);
        var overheads = paired.Select(p => p.Deae / p.Bare).Order().ToArray();
        var achieved = paired.Select(p => flopsPerStep / p.Deae).Order().ToArray();

        // Memory is measured in fresh processes, one per data set size, so that neither run's allocator
        // history inflates the other's; the median of three, because single peaks here vary by tens of MB
        // between identical runs, as much as the 4N − N cache growth being judged (docs/training.md).
        var memorySmall = MedianMemory(small.Count, MemoryProbeSteps, architecture, fixedMmapThreshold: false);
        var memoryLarge = MedianMemory(largeCount, MemoryProbeSteps, architecture, fixedMmapThreshold: false);

        // The same with glibc's mmap threshold fixed in the child: its default threshold rises to the size of
        // the largest block freed so far, so where libtorch's activations land (fresh mappings, returned on
        // free, or the heap, where they fragment) depends on the order of earlier frees, and the training
        // peak with it. Fixed, the peak repeats to within a megabyte, so this growth is the data set's alone.
        // Training itself is much slower that way (every large tensor is a fresh mapping), hence not a default.
        var steadySmall = MedianMemory(small.Count, MemoryProbeSteps, architecture, fixedMmapThreshold: true);
        var steadyLarge = MedianMemory(largeCount, MemoryProbeSteps, architecture, fixedMmapThreshold: true);

        long imageBytes = (long)architecture.ImageSize * architecture.ImageSize * architecture.Channels;
        long cacheGrowth = (largeCount - small.Count) * imageBytes;
        return new Dictionary<string, object>
        {
            ["configuration"] = $"{architecture}; {groups} groups/step; {interpolations} interpolation(s)/group",
            ["device"] = device.ToString(),
            ["threads"] = torch.get_num_threads(),
            ["paired_steps"] = paired.Count,
            ["seconds_per_step_deae"] = Math.Round(deae, 4),
            ["seconds_per_step_bare"] = Math.Round(bare, 4),
            ["step_overhead_ratio"] = Math.Round(Median(overheads), 3),
            ["step_overhead_ratio_quartiles"] = Quartiles(overheads, 3),
            ["training_flop_per_step"] = flopsPerStep,
            ["achieved_gflops"] = Math.Round(flopsPerStep / deae / 1e9, 2),
            ["achieved_gflops_quartiles"] = Quartiles(achieved.Select(f => f / 1e9).ToArray(), 1),
            ["matmul_peak_gflops"] = Math.Round(peak / 1e9, 2),
            ["flop_utilisation"] = Math.Round(flopsPerStep / deae / peak, 3),
            ["images_per_second_deae"] = Math.Round(groups * (m + 1) / deae, 1),
            ["images_per_second_gslae"] = Math.Round(groups * (m + 1) / gsl, 1),
            ["dataset_n"] = small.Count,
            ["dataset_4n"] = largeCount,
            ["byte_cache_growth_mb"] = Math.Round(cacheGrowth / 1048576.0, 1),
            ["peak_rss_mb_n"] = Megabytes(memorySmall.Peak),
            ["peak_rss_mb_4n"] = Megabytes(memoryLarge.Peak),
            ["peak_rss_mb_n_runs"] = memorySmall.Peaks.Select(Megabytes).ToArray(),
            ["peak_rss_mb_4n_runs"] = memoryLarge.Peaks.Select(Megabytes).ToArray(),
            ["rss_growth_over_cache_growth"] = GrowthRatio(memorySmall.Peak, memoryLarge.Peak, cacheGrowth),
            // The resident set once the data set is built, before training: steadier than the peak.
            ["data_rss_mb_n"] = Megabytes(memorySmall.Data),
            ["data_rss_mb_4n"] = Megabytes(memoryLarge.Data),
            ["data_rss_growth_over_cache_growth"] = GrowthRatio(memorySmall.Data, memoryLarge.Data, cacheGrowth),
            // Peaks with glibc's mmap threshold fixed at its 128 KiB default (Linux; no effect elsewhere).
            ["fixed_mmap_threshold_peak_rss_mb_n_runs"] = steadySmall.Peaks.Select(Megabytes).ToArray(),
            ["fixed_mmap_threshold_peak_rss_mb_4n_runs"] = steadyLarge.Peaks.Select(Megabytes).ToArray(),
            ["fixed_mmap_threshold_rss_growth_over_cache_growth"] = GrowthRatio(steadySmall.Peak, steadyLarge.Peak, cacheGrowth),
        };
    }

    /// <summary><c>deae bench train-memory</c> (hidden): trains on N demo images and prints the resident set once the data set is built, then the process's peak RSS, in bytes.</summary>
    public static Command CreateMemoryProbe()
    {
        var images = new Option<int>("--images") { Required = true };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => MemoryProbeSteps };
        var (width, hidden, latent) = NetworkOptions();
        var command = new Command("train-memory", "Peak RSS of training on N images (used by bench train).") { images, steps, width, hidden, latent };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            var data = FontsGenerator.Generate(BenchFonts(parse.GetValue(images)));
            Console.WriteLine($"data {ProcStatusBytes("VmRSS:")}");
            using (DeaeTrainer.Train(data, Options(parse.GetValue(steps), Network(parse, width, hidden, latent))))
            {
            }

            Console.WriteLine($"peak {ProcStatusBytes("VmHWM:")}");
            return 0;
        });
        return command;
    }

    /// <summary>Peak RSS (the median of three fresh processes, and each run's) and the resident set with the data built (its own median).</summary>
    private static (long Peak, long Data, long[] Peaks) MedianMemory(int images, int steps, DeaeArchitecture architecture, bool fixedMmapThreshold)
    {
        var runs = Enumerable.Range(0, 3).Select(_ => MeasureInChild(images, steps, architecture, fixedMmapThreshold)).ToList();
        return (Median(runs, r => r.Peak).Peak, Median(runs, r => r.Data).Data, runs.Select(r => r.Peak).ToArray());
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / 1048576.0, 1);

    private static double GrowthRatio(long small, long large, long cacheGrowth) => Math.Round((double)(large - small) / Math.Max(1, cacheGrowth), 3);

    /// <summary>The item with the median <paramref name="key"/> (an odd count of items).</summary>
    private static T Median<T>(IReadOnlyList<T> items, Func<T, double> key) => items.OrderBy(key).ElementAt(items.Count / 2);

    /// <summary>The median (of an even count, the mean of the middle two).</summary>
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The lower quartile, median and upper quartile of sorted values, rounded.</summary>
    private static double[] Quartiles(double[] sorted, int digits) =>
        new[] { sorted[sorted.Length / 4], Median(sorted), sorted[Math.Min(sorted.Length - 1, 3 * sorted.Length / 4)] }.Select(v => Math.Round(v, digits)).ToArray();

    private static (long Peak, long Data) MeasureInChild(int images, int steps, DeaeArchitecture architecture, bool fixedMmapThreshold)
    {
        var numbers = new[] { images, steps, architecture.BaseWidth, architecture.HiddenSize, architecture.LatentDimension }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // glibc reads this at start-up; setting it (even to the default) turns off the dynamic threshold.
        var environment = fixedMmapThreshold ? new Dictionary<string, string?> { ["MALLOC_MMAP_THRESHOLD_"] = "131072" } : [];
        using var child = BenchCommands.StartSelf(environment, "bench", "train-memory", "--images", numbers[0], "--steps", numbers[1], "--width", numbers[2], "--hidden", numbers[3], "--latent", numbers[4]);
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        // The probe prints "data <bytes>" and "peak <bytes>" (after whatever the trainer writes).
        return child.ExitCode == 0 && long.TryParse(BenchCommands.ProbeValue(output, "peak"), out long peakBytes) && long.TryParse(BenchCommands.ProbeValue(output, "data"), out long dataBytes)
            ? (peakBytes, dataBytes)
            : throw new InvalidOperationException($"The memory probe failed (exit {child.ExitCode}): {output}");
    }

    /// <summary>
    /// Seconds of each DEAE training step (after two warm-up steps), each followed at once by a bare step of
    /// the same passes and one 2048³ matrix product, timed alike; the trainer waits while they run.
    /// </summary>
    private static List<(double Deae, double Bare, double Matmul)> TimePairedSteps(ImageDataset data, DeaeTrainerOptions options, Device device, int encoded, int decoded)
    {
        // Where the trainer runs ("auto" is CUDA when there is a GPU), so that both sides of a pair share a device.
        using var bare = new BareStep(options.Architecture, device, encoded, decoded, options.LearningRate);
        using var x = torch.randn(2048, 2048, device: device);
        using var y = torch.randn(2048, 2048, device: device);
        var others = new List<(double Bare, double Matmul)>();
        var deae = TimeSteps(data, options, ModelKind.Deae, () =>
        {
            double bareSeconds = bare.Time();
            var matmul = Stopwatch.StartNew();
            using (var z = x.mm(y))
            {
                _ = z[0, 0].item<float>();
            }

            others.Add((bareSeconds, matmul.Elapsed.TotalSeconds));
        });

        // The first two of the others ran after the warm-up steps.
        return deae.Select((seconds, i) => (seconds, others[i + 2].Bare, others[i + 2].Matmul)).ToList();
    }

    /// <summary>Seconds of each step of real training after two warm-up steps, with <paramref name="between"/> (untimed) run after every step.</summary>
    internal static List<double> TimeSteps(ImageDataset data, DeaeTrainerOptions template, ModelKind kind, Action? between = null)
    {
        var options = Options(template.Steps + 2, template.Architecture);
        options.Kind = kind;
        options.ReportEvery = 1;
        var seconds = new List<double>();
        var watch = new Stopwatch();
        var progress = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Step > 2)
            {
                seconds.Add(watch.Elapsed.TotalSeconds);
            }

            between?.Invoke();
            watch.Restart();
        });
        using var model = DeaeTrainer.Train(data, options, progress);
        return seconds;
    }

    /// <summary>A bare step: encode E images, decode D codes, one MSE, backward, Adam.</summary>
    private sealed class BareStep : IDisposable
    {
        private readonly DeaeNetwork _network;
        private readonly ScalarSafeOptimizers.Adam _optimizer;
        private readonly Tensor _images;
        private readonly Tensor _codes;

        public BareStep(DeaeArchitecture architecture, Device device, int encoded, int decoded, double learningRate)
        {
            torch.manual_seed(1);
            _network = new DeaeNetwork(architecture, variational: false);
            _network.to(device);
            _optimizer = new ScalarSafeOptimizers.Adam(_network.parameters(), learningRate); // the trainer's optimizer
            _images = torch.rand(encoded, architecture.Channels, architecture.ImageSize, architecture.ImageSize, device: device).Times(2).Plus(-1.0);
            _codes = torch.randn(decoded, architecture.LatentDimension, device: device);
        }

        /// <summary>Runs one step and returns its seconds.</summary>
        public double Time()
        {
            var watch = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var z = _network.Encoder.forward(_images);
            var x = _network.Decoder.forward(_codes);
            var loss = z.Squared().mean().Plus(x.Squared().mean());
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
            _ = loss.item<float>();
            return watch.Elapsed.TotalSeconds;
        }

        public void Dispose()
        {
            _codes.Dispose();
            _images.Dispose();
            _optimizer.Dispose();
            _network.Dispose();
        }
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

    /// <summary>A size from /proc/self/status (VmHWM: the peak resident set; VmRSS: the current one); Linux only, the working set elsewhere.</summary>
    private static long ProcStatusBytes(string field)
    {
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) : null;
        return line is null ? Environment.WorkingSet : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
