using Deae.MLNet.Data;
using Deae.MLNet.MLNet;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Tests;

public class DeaeEstimatorTests
{
    internal static readonly string[] Attributes = ["letter", "size", "font_color", "background_color", "font"];

    /// <summary>The tiny set written as files, loaded through LoadImages, ResizeImages and ExtractPixels.</summary>
    internal static (MLContext Ml, IDataView Pixels, ITransformer Loading) LoadTiny(TempFolder temp)
    {
        string manifest = DatasetWriter.Write(TrainerTests.Tiny(), temp.Combine("tiny"), "fonts", overwrite: false);
        var ml = new MLContext(seed: 1);
        var rows = ManifestLoader.Load(ml, manifest);
        var loading = ml.Transforms.LoadImages("Image", ManifestLoader.ImageFolder(manifest), "image")
            .Append(ml.Transforms.ResizeImages("Image", 16, 16))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Fit(rows);
        return (ml, loading.Transform(rows), loading);
    }

    internal static DeaeEstimator.Options TinyOptions(int steps)
    {
        var trainer = TrainerTests.TinyOptions(steps);
        return new DeaeEstimator.Options { ImageColumnName = "Pixels", AttributeColumnNames = Attributes, Trainer = trainer };
    }

    private static List<float[]> Column(IDataView view, string name) =>
        view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToList();

    [Fact]
    public void OutputHasTheLatentAndOneChunkColumnPerAttributeMatchingTheModel()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        using var transformer = new DeaeEstimator(ml, TinyOptions(2)).Fit(pixels);
        var output = transformer.Transform(pixels);
        var latent = Column(output, "Latent");
        Assert.Equal(256, latent.Count);
        Assert.All(latent, l => Assert.Equal(10, l.Length));
        var background = Column(output, transformer.ChunkColumnName("background_color"));
        var range = transformer.Model.Layout.Range(transformer.Model.Layout.IndexOf("background_color"));
        Assert.Equal(latent[7][range], background[7]);

        // The pipeline's ONNX encoder and the batched TorchSharp encoder agree.
        var data = TrainerTests.Tiny();
        var batched = transformer.Encode(Enumerable.Range(0, 8).Select(i => data.GetPixels(i).ToArray()).ToList());
        for (int i = 0; i < 8; i++)
        {
            Assert.True(latent[i].Zip(batched[i]).All(p => Math.Abs(p.First - p.Second) <= 1e-4), $"row {i} differs");
        }
    }

    [Fact]
    public void InterpolationRunsFromTheReconstructionToTheSwap()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        using var transformer = new DeaeEstimator(ml, TinyOptions(2)).Fit(pixels);
        var data = TrainerTests.Tiny();
        byte[] from = data.GetPixels(3).ToArray(), to = data.GetPixels(200).ToArray();
        var path = transformer.InterpolateAttribute(from, to, "background_color", 4);
        Assert.Equal(4, path.Length);
        Assert.Equal(transformer.Model.Reconstruct([from])[0], path[0]);
        Assert.Equal(transformer.SwapAttribute([from], [to], "background_color")[0], path[^1]);
        Assert.NotEqual(path[0], path[1]);
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => transformer.InterpolateAttribute(from, to, "colour", 4)).Message);

        // Random interpolations: seeded draws between the same two images, none of them the plain reconstruction.
        var random = transformer.InterpolateAttributeRandomly(from, to, "background_color", 3, seed: 5);
        Assert.Equal(3, random.Length);
        Assert.Equal(random, transformer.InterpolateAttributeRandomly(from, to, "background_color", 3, seed: 5));
        Assert.NotEqual(random, transformer.InterpolateAttributeRandomly(from, to, "background_color", 3, seed: 6));
        Assert.DoesNotContain(path[0], random);
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => transformer.InterpolateAttributeRandomly(from, to, "colour", 3)).Message);
    }

    [Fact]
    public void EveryTrainingReportReachesTheMLNetLogBeforeFitReturns()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        using var transformer = new DeaeEstimator(ml, TinyOptions(4)).Fit(pixels);
        lock (messages)
        {
            Assert.Equal(4, messages.Count(m => m.Contains("DEAE step ", StringComparison.Ordinal)));
            Assert.Contains(messages, m => m.Contains("DEAE step 4/4", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void MLImagesAndPngBytesWorkLikeTheByteImages()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        using var transformer = new DeaeEstimator(ml, TinyOptions(2)).Fit(pixels);
        var data = TrainerTests.Tiny();
        var bytes = new[] { 5, 77, 140 }.Select(i => data.GetPixels(i).ToArray()).ToList();

        // An image file read by ML.NET encodes exactly as its bytes do.
        string[] files = File.ReadAllLines(temp.Combine("tiny", "manifest.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        using var fromFile = MLImage.CreateFromFile(temp.Combine("tiny", files[5]));
        Assert.Equal(transformer.Encode([bytes[0]])[0], transformer.Encode([fromFile])[0]);

        var images = bytes.Select(transformer.ToMLImage).ToList();
        Assert.Equal(transformer.Encode(bytes), transformer.Encode(images));
        var swapped = transformer.SwapAttribute(images, [.. images.AsEnumerable().Reverse()], "background_color");
        var expected = transformer.SwapAttribute(bytes, [.. bytes.AsEnumerable().Reverse()], "background_color");
        Assert.Equal(expected[1], ImageConversion.FromMLImage(swapped[1], 16, 16, 3));

        // PNG bytes decode to the same pixels.
        using var png = MLImage.CreateFromStream(new MemoryStream(transformer.ToPng(expected[2])));
        Assert.Equal(expected[2], ImageConversion.FromMLImage(png, 16, 16, 3));

        using var larger = MLImage.CreateFromPixels(20, 20, MLPixelFormat.Rgba32, new byte[20 * 20 * 4]);
        Assert.Contains("20x20", Assert.Throws<ArgumentException>(() => transformer.Encode([larger])).Message);
    }

    [Fact]
    public void ASavedPipelineGivesTheSameOutputsInAFreshContext()
    {
        using var temp = new TempFolder();
        var (ml, pixels, loading) = LoadTiny(temp);
        var rows = ManifestLoader.Load(ml, temp.Combine("tiny", "manifest.csv"));
        using var deae = new DeaeEstimator(ml, TinyOptions(2)).Fit(pixels);
        var pipeline = new TransformerChain<ITransformer>(loading, deae);
        string zip = temp.Combine("pipeline.zip");
        ml.Model.Save(pipeline, rows.Schema, zip);

        var fresh = new MLContext(seed: 7);
        var loaded = fresh.Model.Load(zip, out var schema);
        var freshRows = ManifestLoader.Load(fresh, temp.Combine("tiny", "manifest.csv"));
        Assert.Equal(Column(pipeline.Transform(rows), "Latent_font"), Column(loaded.Transform(freshRows), "Latent_font"));
        Assert.Equal(Column(pipeline.Transform(rows), "Latent"), Column(loaded.Transform(freshRows), "Latent"));
        Assert.NotNull(schema.GetColumnOrNull("image"));
    }

    [Fact]
    public void MLImageInputIsAcceptedToo()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var options = TinyOptions(2);
        options.ImageColumnName = "Image";
        using var transformer = new DeaeEstimator(ml, options).Fit(pixels);
        var viaImage = Column(transformer.Transform(pixels), "Latent");
        Assert.Equal(256, viaImage.Count);
        Assert.Equal(10, viaImage[0].Length);

        // Images of another size are named at Transform, before ONNX Runtime sees them.
        var larger = ml.Transforms.ResizeImages("Image", 20, 20).Fit(pixels).Transform(pixels);
        var error = Assert.Throws<ArgumentException>(() => transformer.Transform(larger));
        Assert.Contains("'Image' holds 20x20 images; the model was trained on 16x16", error.Message);
    }

    [Fact]
    public void ImagesOfUnknownSizeAreNamedWithTheResizeThatMendsThem()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        string manifest = temp.Combine("tiny", "manifest.csv");
        var rows = ManifestLoader.Load(ml, manifest);
        // LoadImages alone states no size, and ML.NET's ExtractPixels refuses such a column.
        var unsized = ml.Transforms.LoadImages("Image", ManifestLoader.ImageFolder(manifest), "image").Fit(rows).Transform(rows);
        var options = TinyOptions(2);
        options.ImageColumnName = "Image";

        var fitError = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, options).Fit(unsized));
        Assert.Contains("image column 'Image' holds images of unknown size", fitError.Message);
        var schemaError = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, options).GetOutputSchema(SchemaShapeOf(unsized)));
        Assert.Contains("ResizeImages(\"Image\", 16, 16)", schemaError.Message);

        using var transformer = new DeaeEstimator(ml, options).Fit(pixels);
        var transformError = Assert.Throws<ArgumentException>(() => transformer.Transform(unsized));
        Assert.Contains("Image column 'Image' holds images of unknown size (LoadImages states none); append ResizeImages(\"Image\", 16, 16)", transformError.Message);

        // The resize the message names is the cure: the same latents as the pipeline the model was fitted on.
        var resized = ml.Transforms.ResizeImages("Image", 16, 16).Fit(unsized).Transform(unsized);
        Assert.Equal(Column(transformer.Transform(pixels), "Latent"), Column(transformer.Transform(resized), "Latent"));
    }

    [Fact]
    public void MissingOrMistypedColumnsAreNamed()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var shape = SchemaShapeOf(pixels);

        var noImage = TinyOptions(1);
        noImage.ImageColumnName = "Nope";
        Assert.Contains("'Nope'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, noImage).GetOutputSchema(shape)).Message);
        Assert.Contains("'Nope'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, noImage).Fit(pixels)).Message);

        var textImage = TinyOptions(1);
        textImage.ImageColumnName = "letter";
        Assert.Contains("'letter'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, textImage).GetOutputSchema(shape)).Message);

        var noAttribute = TinyOptions(1);
        noAttribute.AttributeColumnNames = ["letter", "colour"];
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, noAttribute).Fit(pixels)).Message);

        var vectorAttribute = TinyOptions(1);
        vectorAttribute.AttributeColumnNames = ["letter", "Pixels"];
        Assert.Contains("'Pixels'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, vectorAttribute).GetOutputSchema(shape)).Message);

        var output = new DeaeEstimator(ml, TinyOptions(1)).GetOutputSchema(shape);
        Assert.Contains(output, c => c.Name == "Latent_background_color" && c.Kind == SchemaShape.Column.VectorKind.Vector);
    }

    [Fact]
    public void KeyAttributeColumnsWorkAndOtherImageSizesAreNamed()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var keyed = ml.Transforms.Conversion.MapValueToKey("letter").Fit(pixels).Transform(pixels);
        using var transformer = new DeaeEstimator(ml, TinyOptions(1)).Fit(keyed);
        Assert.Equal(["A", "B", "C", "D"], transformer.Model.Attributes[0].Values);

        var larger = ml.Transforms.ResizeImages("Image", 32, 32).Append(ml.Transforms.ExtractPixels("Pixels", "Image")).Fit(pixels).Transform(pixels);
        var error = Assert.Throws<ArgumentException>(() => transformer.Transform(larger));
        Assert.Contains("'Pixels'", error.Message);
        Assert.Contains("3x16x16", error.Message);
    }

    [Fact]
    public void ASingleValuedAttributeIsNamedAtFit()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var oneSize = ml.Data.FilterByCustomPredicate<SizeRow>(pixels, row => row.size != "large");
        var error = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, TinyOptions(1)).Fit(oneSize));
        Assert.Contains("'size'", error.Message);
    }

    [Fact]
    public void PixelsOrLabelsTheByteCacheCannotHoldAreNamedBeforeTraining()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        IDataView Extract(IEstimator<ITransformer> step) => step.Fit(pixels).Transform(pixels); // replaces "Pixels"

        // Scaled pixels would be rounded to 0 or 1 by the byte cache: refused, with the option that did it.
        var scaled = Extract(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255));
        var message = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, TinyOptions(1)).Fit(scaled)).Message;
        Assert.Contains("'Pixels'", message);
        Assert.Contains("scaleImage", message);

        // Interleaved pixels read as 16 channels of 16x3 images: refused, naming the layout to ask for.
        var interleaved = Extract(ml.Transforms.ExtractPixels("Pixels", "Image", interleavePixelColors: true));
        message = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, TinyOptions(1)).Fit(interleaved)).Message;
        Assert.Contains("'Pixels'", message);
        Assert.Contains("interleavePixelColors: false", message);

        // A blank label is missing, not a value that every blank row shares.
        var blank = ml.Data.LoadFromEnumerable(Rows(pixels).Select((r, i) => i == 2 ? r with { letter = " " } : r));
        message = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, TinyOptions(1)).Fit(blank)).Message;
        Assert.Contains("'letter'", message);
        Assert.Contains("row 2", message);
    }

    [Fact]
    public void KeyColumnsOfEveryRawTypeAreRead()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = LoadTiny(temp);
        var letters = new[] { "A", "B", "C", "D" };
        var keyed = ml.Data.LoadFromEnumerable(Rows(pixels).Select(r => new SmallKeyRow
        {
            Pixels = r.Pixels, letter = (byte)Array.IndexOf(letters, r.letter), size = r.size,
            font_color = r.font_color, background_color = r.background_color, font = r.font,
        }));
        using var transformer = new DeaeEstimator(ml, TinyOptions(1)).Fit(keyed);
        Assert.Equal(["1", "2", "3", "4"], transformer.Model.Attributes[0].Values);
    }

    [Fact]
    public void OutputColumnsThatClashAreRefusedBeforeTraining()
    {
        var ml = new MLContext(1);
        var sameAsImage = TinyOptions(1);
        sameAsImage.LatentColumnName = "Pixels";
        var message = Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, sameAsImage)).Message;
        Assert.Contains("'Pixels'", message);
        Assert.Contains("LatentColumnName", message);

        var chunkIsLatent = TinyOptions(1);
        chunkIsLatent.ChunkColumnPrefix = "";
        chunkIsLatent.LatentColumnName = "font";
        Assert.Contains("'font'", Assert.Throws<ArgumentException>(() => new DeaeEstimator(ml, chunkIsLatent)).Message);
    }

    /// <summary>The tiny set's rows as plain objects (pixels and text labels).</summary>
    private static List<TextRow> Rows(IDataView pixels) => new MLContext(1).Data.CreateEnumerable<TextRow>(pixels, reuseRowObject: false).ToList();

    /// <summary>The input's SchemaShape (ML.NET builds it with an internal factory, reached here by reflection).</summary>
    private static SchemaShape SchemaShapeOf(IDataView view) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [view.Schema])!;

    private sealed class SizeRow
    {
        public string size = "";
    }

    private sealed record TextRow
    {
        [VectorType(3, 16, 16)]
        public float[] Pixels { get; init; } = [];

        public string letter { get; init; } = "";

        public string size { get; init; } = "";

        public string font_color { get; init; } = "";

        public string background_color { get; init; } = "";

        public string font { get; init; } = "";
    }

    /// <summary>A row whose letter is a byte key (LoadFromEnumerable stores the 0-based index; ML.NET reads it as key index + 1).</summary>
    private sealed class SmallKeyRow
    {
        [VectorType(3, 16, 16)]
        public float[] Pixels { get; set; } = [];

        [KeyType(4)]
        public byte letter { get; set; }

        public string size { get; set; } = "";

        public string font_color { get; set; } = "";

        public string background_color { get; set; } = "";

        public string font { get; set; } = "";
    }
}

public class DeaePipelineEndToEndTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SlowFact]
    public void LatentsFeedLinearSvmKMeansAndAMulticlassTrainerFarAboveChance()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = DeaeEstimatorTests.LoadTiny(temp);
        var options = DeaeEstimatorTests.TinyOptions(600);
        options.Trainer = TrainerTests.LearningOptions();
        using var deae = new DeaeEstimator(ml, options).Fit(ml.Data.Cache(pixels));

        // Trainers pass over their data many times: cache the latents as any ML.NET user would.
        var latents = ml.Data.Cache(deae.Transform(pixels));
        var split = ml.Data.TrainTestSplit(latents, testFraction: 0.25, seed: 1);

        // LinearSvm: silver background against the rest (chance: always "not silver" = 75% accuracy, AUC 0.5).
        var isSilver = ml.Transforms.Conversion.MapValue("IsSilver", new[] { "silver", "purple", "cyan", "orange" }.Select(c => new KeyValuePair<string, bool>(c, c == "silver")), "background_color");
        var svm = isSilver.Append(ml.BinaryClassification.Trainers.LinearSvm("IsSilver", "Latent_background_color")).Fit(split.TrainSet);
        var svmMetrics = ml.BinaryClassification.EvaluateNonCalibrated(svm.Transform(split.TestSet), "IsSilver");
        Assert.True(svmMetrics.AreaUnderRocCurve > 0.95, $"LinearSvm AUC {svmMetrics.AreaUnderRocCurve:0.000}");
        Assert.True(svmMetrics.Accuracy > 0.9, $"LinearSvm accuracy {svmMetrics.Accuracy:0.000}");

        // KMeans on the background chunk: clusters match the 4 colours (chance NMI ~ 0).
        var kmeans = ml.Transforms.Conversion.MapValueToKey("Background", "background_color")
            .Append(ml.Clustering.Trainers.KMeans("Latent_background_color", numberOfClusters: 4)).Fit(latents);
        var clusterMetrics = ml.Clustering.Evaluate(kmeans.Transform(latents), "Background", "Score", "Latent_background_color");
        Assert.True(clusterMetrics.NormalizedMutualInformation > 0.7, $"KMeans NMI {clusterMetrics.NormalizedMutualInformation:0.000}");

        // Letters from the latent without the background chunk (4 letters: chance 25%).
        var letters = ml.Transforms.Concatenate("Features", "Latent_letter", "Latent_size", "Latent_font_color", "Latent_font")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "letter"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
            .Fit(split.TrainSet);
        var letterMetrics = ml.MulticlassClassification.Evaluate(letters.Transform(split.TestSet));
        output.WriteLine($"LinearSvm AUC {svmMetrics.AreaUnderRocCurve:0.000} accuracy {svmMetrics.Accuracy:0.000}; KMeans NMI {clusterMetrics.NormalizedMutualInformation:0.000}; letters without background chunk {letterMetrics.MicroAccuracy:0.000}");
        Assert.True(letterMetrics.MicroAccuracy > 0.7, $"letter accuracy without the background chunk {letterMetrics.MicroAccuracy:0.000}");
    }
}
