using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.Cli.Commands;

/// <summary>The demo scale: the data and trainer settings that the demo, the benchmark and the README quote.</summary>
internal static class DemoConfiguration
{
    /// <summary>The demo's Fonts-like set at 32×32.</summary>
    public static FontsOptions Data() => new()
    {
        Letters = "ABCDEFGHIJ",
        FontColors = ["red", "yellow", "green", "blue", "purple"],
        BackgroundColors = ["orange", "cyan", "silver", "pink", "green"],
        MaxFonts = 4,
        ImageSize = 32,
    };

    /// <summary>The demo's trainer settings (a DEAE at 32×32 for CPU).</summary>
    public static DeaeTrainerOptions TrainerOptions(int steps) => new()
    {
        Kind = ModelKind.Deae,
        // The default (CPU) network at 32×32: about 3.5 steps/s on 2 cores (docs/training.md).
        Architecture = new DeaeArchitecture { ImageSize = 32, Channels = 3 },
        Steps = steps,
        GroupsPerBatch = 8,
        LearningRate = 1e-3,
        Device = "auto",
        ReportEvery = 10,
    };
}
