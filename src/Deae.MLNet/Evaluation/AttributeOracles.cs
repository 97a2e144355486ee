using Deae.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// Reads every attribute of a synthesized image: the Fonts-like colours from pixels (<see cref="ColorOracle"/>),
/// every other attribute with an ML.NET multiclass classifier (SdcaMaximumEntropy) trained on real images.
/// The classifiers see each pixel's distance from the border colour (the glyph's shape, whatever its
/// colours), so letter, size and font are judged independently of the colour attributes. Each
/// classifier's accuracy on held-out real images bounds what edits can be shown to do.
/// </summary>
public sealed class AttributeOracles
{
    private readonly ImageDataset _reference;
    private readonly Dictionary<string, Func<byte[][], string[]>> _readers = new(StringComparer.Ordinal);

    private AttributeOracles(ImageDataset reference) => _reference = reference;

    /// <summary>Held-out accuracy of each attribute's oracle on real images.</summary>
    public IReadOnlyDictionary<string, double> RealImageAccuracy { get; private set; } = new Dictionary<string, double>();

    /// <summary>Builds oracles for every attribute of <paramref name="data"/> (real, labelled images).</summary>
    public static AttributeOracles Fit(ImageDataset data, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var oracles = new AttributeOracles(data);
        var (train, test) = data.Split(0.25, seed);
        var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
        var ml = new MLContext(seed);
        foreach (var attribute in data.Attributes)
        {
            if (data.Channels == 3 && attribute.Name == SwapEvaluator.Background)
            {
                oracles._readers[attribute.Name] = images => images.Select(i => ColorOracle.Background(i, data.Width, data.Height).Name).ToArray();
            }
            else if (data.Channels == 3 && attribute.Name == SwapEvaluator.FontColor)
            {
                oracles._readers[attribute.Name] = images => images.Select(i => ColorOracle.Font(i, data.Width, data.Height).Name).ToArray();
            }
            else
            {
                oracles._readers[attribute.Name] = Classifier(ml, train, attribute.Name);
            }

            int column = data.AttributeIndex(attribute.Name);
            var predicted = oracles.Read(attribute.Name, Enumerable.Range(0, test.Count).Select(i => test.GetPixels(i).ToArray()).ToArray());
            accuracy[attribute.Name] = Enumerable.Range(0, test.Count).Average(i => predicted[i] == test.GetValue(i, column) ? 1.0 : 0.0);
        }

        oracles.RealImageAccuracy = accuracy;
        return oracles;
    }

    /// <summary>The value of <paramref name="attribute"/> the oracle reads in each image.</summary>
    public string[] Read(string attribute, byte[][] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return _readers.TryGetValue(attribute, out var read)
            ? read(images)
            : throw new ArgumentException($"There is no oracle for attribute '{attribute}' (attributes: {string.Join(", ", _readers.Keys)}).");
    }

    /// <summary>The attributes the oracles read.</summary>
    public IEnumerable<string> Attributes => _reference.Attributes.Select(a => a.Name);

    private static Func<byte[][], string[]> Classifier(MLContext ml, ImageDataset train, string attribute)
    {
        int column = train.AttributeIndex(attribute);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, train.Width * train.Height);
        int width = train.Width, height = train.Height, channels = train.Channels;
        var rows = Enumerable.Range(0, train.Count).Select(i => new Row { Features = Shape(train.GetPixels(i), width, height, channels), Label = train.GetValue(i, column) });
        var model = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(nameof(Row.Label), nameof(Row.Features), maximumNumberOfIterations: 100))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel"))
            .Fit(ml.Data.LoadFromEnumerable(rows, schema));
        return images =>
        {
            var view = ml.Data.LoadFromEnumerable(images.Select(i => new Row { Features = Shape(i, width, height, channels) }), schema);
            return model.Transform(view).GetColumn<ReadOnlyMemory<char>>("PredictedValue").Select(v => v.ToString()).ToArray();
        };
    }

    /// <summary>Per pixel, its distance from the border colour in [0, 1]: the glyph's (or sprite's) shape.</summary>
    private static float[] Shape(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        var features = new float[width * height];
        if (channels == 1)
        {
            for (int p = 0; p < features.Length; p++)
            {
                features[p] = pixels[p] / 255f;
            }

            return features;
        }

        var (r, g, b) = ColorOracle.BorderColor(pixels, width, height);
        for (int p = 0; p < features.Length; p++)
        {
            float dr = pixels[p * 3] - r, dg = pixels[(p * 3) + 1] - g, db = pixels[(p * 3) + 2] - b;
            features[p] = MathF.Min(1f, MathF.Sqrt((dr * dr) + (dg * dg) + (db * db)) / 255f);
        }

        return features;
    }

    private sealed class Row
    {
        public float[] Features = [];

        public string Label = "";
    }
}
