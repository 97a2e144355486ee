using System.CommandLine;
using System.Globalization;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae bench concurrent</c>: training speed of one process alone and of two processes sharing the cores,
/// under libgomp's own spin count, the project's cap (<see cref="TorchRuntime.OpenMpSpinCap"/>) and the passive
/// wait policy, measured side by side in one run. Each setting's processes are fresh, because libgomp reads
/// its settings once, when it loads.
/// </summary>
internal static class BenchConcurrentCommand
{
    // The settings compared: a name, and the child's two OpenMP variables (null: unset, so the shipped cap applies;
    // whatever this shell has set is replaced, so each setting is what its name says).
    private static readonly (string Name, Dictionary<string, string?> Environment)[] Settings =
    [
        ("libgomp_default", new() { [OpenMpSpinCap.Variable] = OpenMpSpinCap.LibgompDefault, [OpenMpSpinCap.WaitPolicyVariable] = null }),
        ("shipped_cap", new() { [OpenMpSpinCap.Variable] = null, [OpenMpSpinCap.WaitPolicyVariable] = null }),
        ("passive", new() { [OpenMpSpinCap.Variable] = null, [OpenMpSpinCap.WaitPolicyVariable] = "PASSIVE" }),
    ];

    public static Command Create()
    {
        var output = new BenchJsonOutput();
        var steps = new Option<int>("--steps") { Description = "Timed training steps of each process (after two warm-up steps).", DefaultValueFactory = _ => 100 };
        var images = new Option<int>("--images") { Description = "Images of each process's Fonts-like set.", DefaultValueFactory = _ => 2000 };
        var command = new Command("concurrent", "Demo training speed of one process alone and of two at once, under libgomp's spin count, the shipped cap and the passive wait policy.")
        {
            output.Json, output.Overwrite, steps, images,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var (jsonPath, replace) = output.Target(parse);
            int timed = parse.GetValue(steps), n = parse.GetValue(images);
            if (timed < 1)
            {
                throw new OptionException("Steps", "--steps", $"{timed} must be at least 1.");
            }

            int available = FontsGenerator.Plan(BenchTrainCommand.BenchFonts(null)).Count;
            if (n < 1 || n > available)
            {
                throw new OptionException("Images", "--images", $"{n} must be between 1 and {available}.");
            }

            var result = new Dictionary<string, object> { ["cores"] = Environment.ProcessorCount, ["steps"] = timed, ["images"] = n };
            var alone = new Dictionary<string, double>();
            // Every setting alone first, then every pair, so that a drift in the machine's speed touches all settings alike.
            foreach (var (name, environment) in Settings)
            {
                var (rates, cap) = Rates(1, environment, timed, n);
                alone[name] = rates[0];
                result[$"{name}_alone_steps_per_second"] = Math.Round(alone[name], 2);
                result[$"{name}_cap_applied_by_deae"] = cap; // "none" where the setting names its own value
            }

            foreach (var (name, environment) in Settings)
            {
                var (pair, _) = Rates(2, environment, timed, n);
                result[$"{name}_pair_steps_per_second"] = pair.Select(r => Math.Round(r, 2)).ToArray();
                // 1: two processes together train as fast as one alone (the cores are shared, not wasted).
                result[$"{name}_pair_throughput_over_alone"] = Math.Round(pair.Sum() / alone[name], 3);
            }

            result["shipped_cap_alone_over_libgomp_default"] = Math.Round(alone["shipped_cap"] / alone["libgomp_default"], 3);
            result["passive_alone_over_libgomp_default"] = Math.Round(alone["passive"] / alone["libgomp_default"], 3);
            BenchCommands.WriteResult(result, jsonPath, replace);
            return 0;
        }));
        return command;
    }

    /// <summary><c>deae bench train-rate</c> (hidden): trains the demo DEAE on N bench images and prints its steps per second after two warm-up steps.</summary>
    public static Command CreateRateProbe()
    {
        var images = new Option<int>("--images") { Required = true };
        var steps = new Option<int>("--steps") { Required = true };
        var command = new Command("train-rate", "Training steps per second of the demo DEAE (used by bench concurrent).") { images, steps };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            var data = FontsGenerator.Generate(BenchTrainCommand.BenchFonts(parse.GetValue(images)));
            var options = BenchTrainCommand.Options(parse.GetValue(steps), DemoConfiguration.TrainerOptions(1).Architecture);
            var seconds = BenchTrainCommand.TimeSteps(data, options, ModelKind.Deae);
            Console.WriteLine($"spin_cap {TorchRuntime.OpenMpSpinCap ?? "none"}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rate {seconds.Count / seconds.Sum()}"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Starts <paramref name="processes"/> rate probes at once with <paramref name="environment"/> applied; returns each
    /// one's steps per second and the spin cap the first one applied (<see cref="TorchRuntime.OpenMpSpinCap"/>, or "none").
    /// </summary>
    private static (double[] Rates, string Cap) Rates(int processes, Dictionary<string, string?> environment, int steps, int images)
    {
        string[] arguments = ["bench", "train-rate", "--images", images.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture)];
        var children = Enumerable.Range(0, processes).Select(_ => BenchCommands.StartSelf(environment, arguments)).ToList();
        // Read every child's output concurrently, so that no child blocks on a full pipe while another is read.
        var outputs = children.Select(c => c.StandardOutput.ReadToEndAsync()).ToList();
        Task.WaitAll(outputs);
        var rates = new double[processes];
        for (int i = 0; i < processes; i++)
        {
            using var child = children[i];
            child.WaitForExit();
            string output = outputs[i].Result;
            rates[i] = child.ExitCode == 0 && double.TryParse(BenchCommands.ProbeValue(output, "rate"), NumberStyles.Float, CultureInfo.InvariantCulture, out double rate)
                ? rate
                : throw new InvalidOperationException($"The training-rate probe failed (exit {child.ExitCode}): {output}");
        }

        return (rates, BenchCommands.ProbeValue(outputs[0].Result, "spin_cap"));
    }
}
