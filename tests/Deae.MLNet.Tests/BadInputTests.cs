using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Exploration;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

/// <summary>Bad input at public entry points: a clear error naming what is at fault, and nothing written.</summary>
public class BadInputTests
{
    [Fact]
    public void AThreadCountBelowOneIsAnOptionErrorNotAProcessAbort()
    {
        var options = TrainerTests.TinyOptions(1);
        options.Threads = 0;
        var error = Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(TrainerTests.Tiny(), options));
        Assert.Contains("Threads (0) must be positive", error.Message);
    }

    [Fact]
    public void AShortManifestRowAndAnUnsupportedChannelCountAreNamed()
    {
        using var temp = new TempFolder();
        string manifest = DatasetWriter.Write(TrainerTests.Tiny(), temp.Combine("set"), "fonts", overwrite: false);
        File.Delete(Path.Combine(temp.Combine("set"), DatasetFiles.Description));
        var lines = File.ReadAllLines(manifest);
        lines[2] = "images/000001.png,A";
        File.WriteAllLines(manifest, lines);
        var shortRow = Assert.Throws<InvalidDataException>(() => DatasetReader.Read(manifest));
        Assert.Contains("row 3 has 2 fields; the header has 6", shortRow.Message);

        var channels = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetReader.Read(manifest, channels: 2));
        Assert.Contains("Channels 2", channels.Message);
    }

    [Fact]
    public void BuffersAndListsThatDoNotFitAreRefusedBeforeNativeCodeOrDuplicateWork()
    {
        // "red" and "Red" are one colour: rendering both would write every red image twice.
        var options = FontsGeneratorTests.Small();
        options.FontColors = ["red", "Red"];
        Assert.Contains("'Red' is listed more than once", Assert.Throws<OptionException>(() => FontsGenerator.Plan(options)).Message);

        // Skia would read past a short buffer in native code.
        Assert.Contains("4x4", Assert.Throws<ArgumentException>(() => DatasetWriter.EncodePng(new byte[10], 4, 4, 1)).Message);
        Assert.Throws<ArgumentException>(() => DatasetWriter.EncodePng(new byte[64], 4, 4, 4));
        Assert.Contains("48 bytes", Assert.Throws<ArgumentException>(() => ColorOracle.Background(new byte[47], 4, 4)).Message);

        // Directions of a chunk and of the full latent cannot be mixed.
        Assert.Contains("the weights cancel", Assert.Throws<ArgumentException>(() => LatentDirections.Combine([([0.6f, 0.8f], 0.5f), ([0.6f, 0.8f], -0.5f)])).Message);
        Assert.Contains("the weight of direction 2 is NaN", Assert.Throws<ArgumentException>(() => LatentDirections.Combine([([0.6f, 0.8f], 0.5f), ([0.8f, 0.6f], float.NaN)])).Message);
        Assert.Contains("has no terms", Assert.Throws<ArgumentException>(() => LatentDirections.Combine([])).Message);
        var error = Assert.Throws<ArgumentException>(() => LatentDirections.Combine([([1f, 0f], 1f), ([0f, 1f, 0f], 1f)]));
        Assert.Contains("3 dimensions where 2", error.Message);
        Assert.Throws<ArgumentException>(() => LatentDirections.ProjectOut([1f, 0f], [[0f, 1f, 0f]]));
    }

    [Fact]
    public void ModelEntryPointsTakeEmptyBatchesAndNameWrongTensors()
    {
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(1));
        Assert.Empty(model.Encode(Array.Empty<byte[]>()));
        Assert.Empty(model.Decode(Array.Empty<float[]>()));
        Assert.Empty(model.Reconstruct(Array.Empty<byte[]>()));

        using var doubles = zeros(2, 3, 16, 16, ScalarType.Float64);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => model.Encode(doubles)).Message);
        using var flat = zeros(3, 16, 16);
        Assert.Contains("[N, C, H, W]", Assert.Throws<ArgumentException>(() => PixelCodec.ToBytes(flat, DecoderOutput.Tanh)).Message);
        Assert.Throws<ArgumentNullException>(() => model.SwapAttribute([], [], null!));
    }

    [Fact]
    public void OraclesNameImagesOfAnotherSizeAndEvaluatorsNameTheirPairCount()
    {
        var data = TrainerTests.Tiny();
        var oracles = AttributeOracles.Fit(data);
        var larger = FontsGenerator.Generate(FontsGeneratorTests.Small());
        var error = Assert.Throws<ArgumentException>(() => oracles.Read("letter", [larger.GetPixels(0).ToArray()]));
        Assert.Contains("fitted on 16x16x3 images", error.Message);

        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(1));
        var pairs = Assert.Throws<ArgumentOutOfRangeException>(() => SwapEvaluator.Evaluate(model, data, SwapEvaluator.Background, 0, 1));
        Assert.Equal("pairs", pairs.ParamName);

        // Held-out images that all show one background cannot say whether a background edit works.
        int column = data.AttributeIndex("background_color");
        var oneBackground = data.Subset([.. Enumerable.Range(0, data.Count).Where(i => data.GetValue(i, column) == data.GetValue(0, column))]);
        var constant = Assert.Throws<ArgumentException>(() => ModelEvaluator.Evaluate(model, oneBackground, oracles, pairs: 10));
        Assert.Contains($"Attribute 'background_color' takes one value ('{data.GetValue(0, column)}') in all {oneBackground.Count} held-out images", constant.Message);
        ModelEvaluator.CheckHeldOut(oneBackground, ["letter", "font"]); // the attributes that do vary are fine
        Assert.Contains("no held-out images", Assert.Throws<ArgumentException>(() => ModelEvaluator.CheckHeldOut(data.Subset([]), ["letter"])).Message);
    }

    [Fact]
    public void TheExplorerRefusesCodesOfAnotherLayout()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(1));
        var explorer = LatentExplorer.Fit(model, data, ["background_color"]);
        var code = model.Encode([data.GetPixels(0).ToArray()])[0];

        var other = LatentLayout.Parse("letter:4,size:1,font_color:1,background_color:2,font:2", 10);
        var layout = Assert.Throws<ArgumentException>(() => explorer.JumpToCentre(other, code, "background_color", "cyan"));
        Assert.Contains("is not the one the explorer was fitted on", layout.Message);
        var shortCode = Assert.Throws<ArgumentException>(() => explorer.MoveTowards(model.Layout, code[..6], "background_color", "cyan", 4));
        Assert.Contains("The code has 6 values", shortCode.Message);
        var chunk = Assert.Throws<ArgumentException>(() => explorer.NearestValue("background_color", code));
        Assert.Contains("the chunk has 10 values; the explorer's has 2", chunk.Message);
    }

    [Fact]
    public void AnExplorerThatDoesNotFitTheModelIsRefusedWhenSetOrLoadedNotWhenUsed()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(1));
        LatentExplorer Fitted() => LatentExplorer.Fit(model, data, ["background_color"]);

        var otherLayout = Fitted();
        otherLayout.Layout = "letter:4,size:1,font_color:1,background_color:2,font:2";
        Assert.Contains("fitted on the latent layout letter:4,size:1", Assert.Throws<ArgumentException>(() => model.Explorer = otherLayout).Message);
        var shortUdv = Fitted();
        shortUdv.Attributes["background_color"].Directions["silver"] = [1f];
        Assert.Contains("Attribute 'background_color': the UDV of 'silver' has 1 values; its chunk has 2", Assert.Throws<ArgumentException>(() => model.Explorer = shortUdv).Message);
        var missingCentre = Fitted();
        missingCentre.Attributes["background_color"].Centres.Remove("cyan");
        Assert.Contains("must name the same values", Assert.Throws<ArgumentException>(() => model.Explorer = missingCentre).Message);
        var notFinite = Fitted();
        notFinite.Attributes["background_color"].Clusters[0][1] = float.NaN;
        Assert.Contains("cluster centre 1 has 2 values, not all finite", Assert.Throws<ArgumentException>(() => model.Explorer = notFinite).Message);
        Assert.Null(model.Explorer); // every refused assignment left the model as it was

        // A file whose exploration section was edited (the checksum rewritten with it) is refused at load, naming the file.
        using var temp = new TempFolder();
        string path = temp.Combine("m.deae"), edited = temp.Combine("edited.deae");
        model.Explorer = Fitted();
        model.Save(path, overwrite: false);
        var (_, sections) = SectionedFile.Read(path, DeaeModel.FileMagic, DeaeModel.FileVersion);
        sections[2] = shortUdv.ToJson();
        SectionedFile.Write(edited, DeaeModel.FileMagic, DeaeModel.FileVersion, sections, overwrite: false);
        var error = Assert.Throws<InvalidDataException>(() => DeaeModel.Load(edited, "cpu").Dispose()).Message;
        Assert.Contains($"'{edited}' has an exploration section that does not fit its model", error);
        Assert.Contains("the UDV of 'silver'", error);
        using var intact = DeaeModel.Load(path, "cpu");
        Assert.Equal(model.Explorer.Attributes["background_color"].Directions["silver"], intact.Explorer!.Attributes["background_color"].Directions["silver"]);
    }

    [Fact]
    public void WritersRefuseNamesThatLeaveTheFolderAndProvenanceThatDoesNotPairUp()
    {
        using var temp = new TempFolder();
        var data = TrainerTests.Tiny();
        foreach (string name in new[] { "manifest.csv", "../escape.txt", ".." })
        {
            var extra = new Dictionary<string, byte[]> { [name] = [1] };
            Assert.Throws<ArgumentException>(() => DatasetWriter.Write(data, temp.Combine("set"), "fonts", overwrite: false, extraFiles: extra));
        }

        var twice = Assert.Throws<ArgumentException>(() => DatasetWriter.WriteParts([("train", () => data), ("train", () => data)], temp.Combine("parts"), "fonts", overwrite: false));
        Assert.Contains("Part 'train' is named 2 times", twice.Message);

        var provenance = Enumerable.Range(0, 3).Select(_ => (IReadOnlyList<AttributeProvenance>)[]).ToList();
        var mismatch = Assert.Throws<ArgumentException>(() => Augmenter.Write(data, provenance, temp.Combine("augmented"), overwrite: false));
        Assert.Contains($"3 rows for {data.Count} images", mismatch.Message);

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        Assert.False(File.Exists(Path.Combine(temp.Path, "..", "escape.txt")));
    }

    [Fact]
    public void TheFactorVaeScoreSkipsFactorsItCannotHoldFixedAndNamesRaggedRows()
    {
        var random = new Random(1);
        var factors = Enumerable.Range(0, 200).Select(i => new[] { i % 4, i }).ToList(); // the second factor never repeats
        var latents = factors.Select(f => new[] { f[0] + (0.01f * (float)random.NextDouble()), (float)random.NextDouble() }).ToList();
        Assert.Equal(1.0, DisentanglementMetrics.FactorVae(latents, factors), 2);

        var unique = factors.Select(f => new[] { f[1] }).ToList();
        Assert.Contains("no factor has a value shared", Assert.Throws<ArgumentException>(() => DisentanglementMetrics.FactorVae(latents, unique)).Message);

        var ragged = latents.Select((l, i) => i == 7 ? l[..1] : l).ToList();
        Assert.Contains("row 7", Assert.Throws<ArgumentException>(() => DisentanglementMetrics.FactorVae(ragged, factors)).Message);
    }

    [Fact]
    public void EstimatorOptionsWithoutColumnNamesAreRefusedWhenMade()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var noImage = new MLNet.DeaeEstimator.Options { ImageColumnName = null!, AttributeColumnNames = ["letter"] };
        Assert.Contains("ImageColumnName", Assert.Throws<ArgumentException>(() => new MLNet.DeaeEstimator(ml, noImage)).Message);
        var blankAttribute = new MLNet.DeaeEstimator.Options { AttributeColumnNames = ["letter", " "] };
        Assert.Contains("AttributeColumnNames", Assert.Throws<ArgumentException>(() => new MLNet.DeaeEstimator(ml, blankAttribute)).Message);
    }

    [Fact]
    public void ArchitecturesThatCannotBeBuiltAreRefusedByTheNetworksThemselves()
    {
        var tooManyStages = new DeaeArchitecture { ImageSize = 32, DownsamplingStages = 33 };
        Assert.Contains("DownsamplingStages 33", Assert.Throws<ArgumentException>(tooManyStages.Validate).Message);
        var tiny = new DeaeArchitecture { ImageSize = 4 };
        Assert.Contains("ImageSize 4", Assert.Throws<ArgumentException>(() => new Encoder(tiny, variational: false)).Message);
        Assert.Contains("ImageSize 4", Assert.Throws<ArgumentException>(() => new Decoder(tiny)).Message);
    }
}
