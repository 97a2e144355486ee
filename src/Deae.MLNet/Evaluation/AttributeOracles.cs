using Deae.MLNet.Data;
using Deae.MLNet.Data.Sprites;
using Deae.MLNet.IO;
using Microsoft.ML;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// Reads every attribute of a synthesized image: the Fonts-like colours from pixels (<see cref="ColorOracle"/>),
/// every attribute of a dSprites-like set by matching rendered templates (<see cref="SpriteOracle"/>), and any
/// other attribute with an ML.NET multiclass classifier (SdcaMaximumEntropy) trained on real images.
/// The classifiers see each pixel's distance from the border colour (the glyph's shape, whatever its
/// colours), so letter, size and font are judged independently of the colour attributes. Each
/// oracle's accuracy on held-out real images bounds what edits can be shown to do.
/// </summary>
public sealed class AttributeOracles
{
    private readonly ImageDataset _reference;
    private readonly Dictionary<string, Func<byte[][], string[]>> _readers = new(StringComparer.Ordinal);
    private SpriteOracle? _sprites;

    private AttributeOracles(ImageDataset reference) => _reference = reference;

    /// <summary>Held-out accuracy of each attribute's oracle on real images.</summary>
    public IReadOnlyDictionary<string, double> RealImageAccuracy { get; private set; } = new Dictionary<string, double>();

    /// <summary>
    /// Fonts-like sets: accuracy of each other attribute's oracle on the same held-out real images with their
    /// background repainted half-way to another seen background colour (not their font colour, as in the evaluation's
    /// interpolation pairs), a colour no image was rendered with.
    /// Half-way background interpolations draw such colours, so this bounds what their "others kept" can show.
    /// Empty for other sets.
    /// </summary>
    public IReadOnlyDictionary<string, double> HalfwayBackgroundAccuracy { get; private set; } = new Dictionary<string, double>();

    /// <summary>Builds oracles for every attribute of <paramref name="data"/> (real, labelled images).</summary>
    public static AttributeOracles Fit(ImageDataset data, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var oracles = new AttributeOracles(data);
        var (train, test) = data.Split(0.25, seed);
        var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
        var ml = new MLContext(seed);
        oracles._sprites = SpriteOracle.CanRead(data) ? SpriteOracle.For(data) : null;
        var testImages = Enumerable.Range(0, test.Count).Select(i => test.GetPixels(i).ToArray()).ToArray();
        foreach (var attribute in data.Attributes)
        {
            oracles._readers[attribute.Name] = oracles.Reader(ml, train, attribute.Name);
            int column = data.AttributeIndex(attribute.Name);
            var shown = oracles.Shows(attribute.Name, testImages, Enumerable.Range(0, test.Count).Select(i => test.GetValue(i, column)).ToArray());
            accuracy[attribute.Name] = shown.Average(s => s ? 1.0 : 0.0);
        }

        oracles.RealImageAccuracy = accuracy;
        oracles.HalfwayBackgroundAccuracy = oracles.HalfwayBackground(test, testImages, seed);
        return oracles;
    }

    /// <summary>The value of <paramref name="attribute"/> the oracle reads in each image.</summary>
    public string[] Read(string attribute, byte[][] images)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(images);
        // The oracles read pixels at the geometry they were fitted on (a model of another size would index past the image).
        var r = _reference;
        int size = r.Width * r.Height * r.Channels;
        int wrong = Array.FindIndex(images, image => image?.Length != size);
        if (wrong >= 0)
        {
            throw new ArgumentException($"Image {wrong} has {images[wrong]?.Length ?? 0} bytes; these oracles were fitted on {r.Width}x{r.Height}x{r.Channels} images ({size} bytes).", nameof(images));
        }

        return _readers.TryGetValue(attribute, out var read)
            ? read(images)
            : throw new ArgumentException($"There is no oracle for attribute '{attribute}' (attributes: {string.Join(", ", _readers.Keys)}).");
    }

    /// <summary>
    /// For each image, whether it shows <paramref name="values"/>[i] of <paramref name="attribute"/>: the oracle reads
    /// that value, or (sprite orientation) one that looks identical for the shape the image shows.
    /// </summary>
    public bool[] Shows(string attribute, byte[][] images, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(values);
        if (images.Length != values.Count)
        {
            throw new ArgumentException($"{images.Length} images but {values.Count} values of '{attribute}'.", nameof(values));
        }

        // Reading first checks the attribute and, for sprites, measures every image once (in parallel; remembered).
        var read = Read(attribute, images);
        return _sprites is SpriteOracle sprites
            ? images.Select((image, i) => sprites.Shows(attribute, sprites.Read(image), values[i])).ToArray()
            : read.Select((value, i) => value == values[i]).ToArray();
    }

    /// <summary>
    /// Whether real image <paramref name="x"/> of <paramref name="data"/> would look the same with image
    /// <paramref name="y"/>'s value of the attribute in <paramref name="column"/> (equal values; for sprite
    /// orientations, values the shape's symmetry makes identical), so a swap between them shows nothing.
    /// </summary>
    internal bool LookAlike(ImageDataset data, int column, int x, int y) =>
        _sprites is SpriteOracle sprites && data.Attributes[column].Name == SpritesGenerator.AttributeNames[2]
            ? sprites.LookAlike(data.GetValue(x, data.AttributeIndex(SpritesGenerator.AttributeNames[0])), data.GetValue(x, column), data.GetValue(y, column))
            : data.GetLabel(x, column) == data.GetLabel(y, column);

    /// <summary>The attributes the oracles read.</summary>
    public IEnumerable<string> Attributes => _reference.Attributes.Select(a => a.Name);

    private Dictionary<string, double> HalfwayBackground(ImageDataset test, byte[][] images, int seed)
    {
        var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
        var names = test.Attributes.Select(a => a.Name).ToArray();
        if (test.Channels != 3 || !names.Contains(SwapEvaluator.Background) || !names.Contains(SwapEvaluator.FontColor))
        {
            return accuracy;
        }

        int background = test.AttributeIndex(SwapEvaluator.Background), fontColor = test.AttributeIndex(SwapEvaluator.FontColor);
        var known = NamedColor.All.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var seen = test.Attributes[background].Values;
        if (seen.Count < 2 || !seen.Concat(test.Attributes[fontColor].Values).All(known.ContainsKey))
        {
            return accuracy;
        }

        var random = new Random(seed);
        var moved = new List<byte[]>();
        var kept = new List<int>();
        for (int i = 0; i < images.Length; i++)
        {
            var from = known[test.GetValue(i, background)];
            var font = known[test.GetValue(i, fontColor)];
            // As the evaluation's interpolation pairs: towards a background other than the image's own and its font colour.
            var others = seen.Where(v => v != from.Name && v != font.Name).ToArray();
            if (font != from && others.Length > 0)
            {
                moved.Add(BackgroundShift.Move(images[i], font, from, known[others[random.Next(others.Length)]], 0.5));
                kept.Add(i);
            }
        }

        if (kept.Count == 0)
        {
            return accuracy;
        }

        var shifted = moved.ToArray();
        foreach (var attribute in names.Where(n => n != SwapEvaluator.Background))
        {
            int column = test.AttributeIndex(attribute);
            accuracy[attribute] = Shows(attribute, shifted, kept.Select(i => test.GetValue(i, column)).ToArray()).Average(s => s ? 1.0 : 0.0);
        }

        return accuracy;
    }

    private Func<byte[][], string[]> Reader(MLContext ml, ImageDataset train, string attribute)
    {
        if (_sprites is SpriteOracle sprites)
        {
            return images => ParallelRead(images, image => sprites.ValueOf(attribute, sprites.Read(image)));
        }

        if (train.Channels == 3 && attribute == SwapEvaluator.Background)
        {
            return images => images.Select(i => ColorOracle.Background(i, train.Width, train.Height).Name).ToArray();
        }

        if (train.Channels == 3 && attribute == SwapEvaluator.FontColor)
        {
            return images => images.Select(i => ColorOracle.Font(i, train.Width, train.Height).Name).ToArray();
        }

        return Classifier(ml, train, attribute);
    }

    private static string[] ParallelRead(byte[][] images, Func<byte[], string> read)
    {
        var values = new string[images.Length];
        ParallelWork.For(images.Length, null, i => values[i] = read(images[i]));
        return values;
    }

    private static Func<byte[][], string[]> Classifier(MLContext ml, ImageDataset train, string attribute)
    {
        int column = train.AttributeIndex(attribute);
        int width = train.Width, height = train.Height, channels = train.Channels;
        var classifier = LabelClassifier.Fit(
            ml,
            Enumerable.Range(0, train.Count).Select(i => Shape(train.GetPixels(i), width, height, channels)).ToArray(),
            Enumerable.Range(0, train.Count).Select(i => train.GetValue(i, column)).ToArray());
        return images => classifier.Predict(images.Select(i => Shape(i, width, height, channels)).ToArray());
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
}
