using System.Text;
using System.Text.Json;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// A resumable training state: the model (as in a model file), the optimizer's state and the step.
/// Per-step randomness is derived from (seed, step), so nothing else is needed to continue the same run.
/// </summary>
/// <remarks>
/// Sections of the <see cref="SectionedFile"/> (magic "DEAECKPT", version 2):
/// 0 model header JSON, 1 network weights, 2 optimizer state, 3 run JSON (step, fingerprint of the options
/// that must match to continue the run, and the hyperparameters it was trained with, which may change).
/// </remarks>
internal static class TrainingCheckpoint
{
    /// <summary>A run's description: what a resumed run must match, and the hyperparameters it may change.</summary>
    public sealed record RunDescription(string Fingerprint, string Hyperparameters);

    private const string Magic = "DEAECKPT";
    // Version 2 split the run description into what must match and the hyperparameters a resumed run may change.
    private const int Version = 2;

    public static void Save(string path, DeaeModel model, TorchSharp.Modules.OptimizerHelper optimizer, int step, RunDescription description, bool overwrite)
    {
        var run = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["step"] = step, ["fingerprint"] = description.Fingerprint, ["hyperparameters"] = description.Hyperparameters });
        SectionedFile.Write(path, Magic, Version, [ModelHeader.From(model).ToBytes(), DeaeModel.WeightsToBytes(model.Network), OptimizerToBytes(optimizer), run], overwrite);
    }

    /// <summary>Loads weights and optimizer state into a freshly built run and returns the step it had reached.</summary>
    public static int Load(string path, DeaeModel model, TorchSharp.Modules.OptimizerHelper optimizer, string fingerprint)
    {
        var (version, sections) = SectionedFile.Read(path, Magic, Version);
        if (version < Version)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has format version {version}, written by an earlier Deae.MLNet whose run description this version does not compare; restart the run (replacing the file: OverwriteCheckpoint, or deae train --overwrite).");
        }

        if (sections.Count != 4)
        {
            throw new InvalidDataException($"'{path}' has {sections.Count} sections; a checkpoint has 4.");
        }

        using var run = JsonDocument.Parse(sections[3]);
        string saved = run.RootElement.GetProperty("fingerprint").GetString() ?? "";
        if (saved != fingerprint)
        {
            throw new InvalidDataException($"Checkpoint '{path}' comes from a different run configuration.\n  checkpoint: {saved}\n  this run:   {fingerprint}");
        }

        DeaeModel.WeightsFromBytes(model.Network, sections[1], path);
        using (var reader = new BinaryReader(new MemoryStream(sections[2])))
        {
            optimizer.load_state_dict(reader);
        }

        return run.RootElement.GetProperty("step").GetInt32();
    }

    private static byte[] OptimizerToBytes(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }

        return buffer.ToArray();
    }
}
