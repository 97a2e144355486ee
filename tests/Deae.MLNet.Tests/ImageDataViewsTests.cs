using Deae.MLNet.Data;
using Deae.MLNet.Exploration;
using Deae.MLNet.MLNet;
using Deae.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Tests;

public class ImageDataViewsTests
{
    private static List<float[]> Vectors(IDataView view, string column) =>
        view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();

    private static List<string> Texts(IDataView view, string column) =>
        view.GetColumn<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToList();

    [Fact]
    public void AnInMemorySetTrainsTheSameEstimatorAsItsFilesThroughExtractPixels()
    {
        using var temp = new TempFolder();
        var (ml, fromFiles, _) = DeaeEstimatorTests.LoadTiny(temp);
        var inMemory = ImageDataViews.FromDataset(TrainerTests.Tiny());

        // Same values, same layout (planar R, G, B planes in 0–255), same labels, row for row.
        Assert.Equal(Vectors(fromFiles, "Pixels"), Vectors(inMemory, "Pixels"));
        Assert.Equal(Texts(fromFiles, "font"), Texts(inMemory, "font"));
        Assert.Equal(new[] { 3, 16, 16 }, ((VectorDataViewType)inMemory.Schema["Pixels"].Type).Dimensions.ToArray());

        using var a = new DeaeEstimator(ml, DeaeEstimatorTests.TinyOptions(3)).Fit(fromFiles);
        using var b = new DeaeEstimator(new MLContext(seed: 1), DeaeEstimatorTests.TinyOptions(3)).Fit(inMemory);
        Assert.Equal(Vectors(a.Transform(fromFiles), "Latent"), Vectors(b.Transform(inMemory), "Latent"));
    }

    [Fact]
    public void AnAugmentedSetCarriesLabelsAndProvenanceIntoAnMLNetTrainer()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var (images, provenance) = Augmenter.Generate(model, data, 40, seed: 3, interpolation: 0.5);
        var view = ImageDataViews.FromAugmented(images, provenance);

        Assert.Equal(40, view.GetRowCount());
        for (int k = 0; k < images.Attributes.Count; k++)
        {
            string name = images.Attributes[k].Name;
            Assert.Equal(provenance.Select(p => p[k].Dominant), Texts(view, name));
            Assert.Equal(provenance.Select(p => p[k].ToString()), Texts(view, ImageDataViews.SourceColumnPrefix + name));
        }

        Assert.Contains(Texts(view, "Source_background_color"), s => s.Contains('+', StringComparison.Ordinal));
        var roundTrip = DataViewReader.ReadImages(view, "Pixels", ["letter"], 3);
        Assert.All(Enumerable.Range(0, images.Count), i => Assert.Equal(images.GetPixels(i).ToArray(), roundTrip.GetPixels(i).ToArray()));

        // An ordinary ML.NET pipeline consumes it: a letter classifier on the augmented pixels.
        var ml = new MLContext(seed: 1);
        var classifier = ml.Transforms.Conversion.MapValueToKey("Label", "letter")
            .Append(ml.Transforms.NormalizeMinMax("Features", "Pixels"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 5))
            .Fit(view);
        var metrics = ml.MulticlassClassification.Evaluate(classifier.Transform(view));
        Assert.Equal(4, metrics.PerClassLogLoss.Count);
    }

    [Fact]
    public void ClashingColumnsAndMismatchedProvenanceAreNamed()
    {
        var data = TrainerTests.Tiny();
        var clash = Assert.Throws<ArgumentException>(() => ImageDataViews.FromDataset(data, pixelsColumnName: "letter"));
        Assert.Contains("Column 'letter'", clash.Message);

        var rows = Enumerable.Range(0, data.Count - 1)
            .Select(_ => (IReadOnlyList<AttributeProvenance>)data.Attributes.Select(a => new AttributeProvenance(a.Name, [(a.Values[0], 1f)])).ToList())
            .ToList();
        var mismatch = Assert.Throws<ArgumentException>(() => ImageDataViews.FromAugmented(data, rows));
        Assert.Contains($"{data.Count - 1} rows for {data.Count} images", mismatch.Message);

        var cursor = ImageDataViews.FromDataset(data).GetRowCursor([]);
        Assert.True(cursor.MoveNext());
        var notRequested = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(cursor.Schema["Pixels"]));
        Assert.Contains("'Pixels'", notRequested.Message);
    }
}
