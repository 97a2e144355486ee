using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deae.MLNet.Data;
using Deae.MLNet.IO;

namespace Deae.Cli.Commands;

/// <summary>
/// Which images a model kept by <c>deae evaluate --save-models</c> was trained on, written beside it as
/// <c>&lt;kind&gt;.split.json</c>, so that <c>--models</c> can refuse to judge it on images it saw in training
/// (another <c>--seed</c>, <c>--holdout</c> or data set would hold out other images).
/// </summary>
/// <param name="Seed">The run's --seed (it chooses the held-out images).</param>
/// <param name="Holdout">The run's --holdout fraction.</param>
/// <param name="Images">Images in the whole data set.</param>
/// <param name="TrainSha256">SHA-256 of the training images' pixels and labels, in order.</param>
/// <param name="ModelSha256">SHA-256 of the model file the record was written for (a model replaced since has no record).</param>
internal sealed record EvaluationSplit(
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("holdout")] double Holdout,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("train_sha256")] string TrainSha256,
    [property: JsonPropertyName("model_sha256")] string? ModelSha256 = null)
{
    /// <summary>The record of a run that splits <paramref name="all"/> into <paramref name="train"/> and the held-out rest.</summary>
    public static EvaluationSplit Of(ImageDataset all, ImageDataset train, int seed, double holdout)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = 0; i < train.Count; i++)
        {
            hash.AppendData(train.GetPixels(i));
            hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', train.Attributes.Select((_, a) => train.GetValue(i, a))) + '\u001e'));
        }

        return new EvaluationSplit(seed, holdout, all.Count, Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>The record's file beside a kept model.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".split.json");

    /// <summary>Writes the record beside <paramref name="modelPath"/>, atomically.</summary>
    public void WriteBeside(string modelPath, bool overwrite) =>
        AtomicFile.WriteAllBytes(PathFor(modelPath), JsonSerializer.SerializeToUtf8Bytes(this with { ModelSha256 = FileSha256(modelPath) }, CliRunner.ReportJson), overwrite);

    private static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>
    /// Refuses <paramref name="modelPath"/> when the record beside it says it was trained on other images than this
    /// run's training part; a model kept before records were written gets a warning on standard error.
    /// </summary>
    public void CheckBeside(string modelPath)
    {
        string path = PathFor(modelPath);
        string cannotCheck = $"cannot check that '{modelPath}' was trained with this --seed and --holdout on this data.";
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"warning: '{path}' is missing (the model was not kept by evaluate --save-models, or was kept before splits were recorded): {cannotCheck}");
            return;
        }

        EvaluationSplit kept;
        try
        {
            kept = JsonSerializer.Deserialize<EvaluationSplit>(File.ReadAllBytes(path)) ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not a split record: {ex.Message}", ex);
        }

        if (kept.ModelSha256 is not null && kept.ModelSha256 != FileSha256(modelPath))
        {
            Console.Error.WriteLine($"warning: '{path}' was written for another version of the model (replaced since it was kept): {cannotCheck}");
            return;
        }

        if (kept.TrainSha256 != TrainSha256)
        {
            string how = kept.Seed != Seed || kept.Holdout != Holdout || kept.Images != Images
                ? string.Create(CultureInfo.InvariantCulture, $"it was trained with --seed {kept.Seed} --holdout {kept.Holdout} on {kept.Images} images; this run has --seed {Seed} --holdout {Holdout} and {Images} images")
                : "it was trained on other images (the data set changed)";
            throw new ArgumentException($"'{modelPath}' would be judged on images it may have seen in training: {how} ({path}).");
        }
    }
}
