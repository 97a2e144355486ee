using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Evaluation;

/// <summary>How one attribute the model was trained on is held when other attributes take values it never saw.</summary>
/// <param name="Attribute">The attribute whose value every pair shares (e.g. <c>letter</c>).</param>
/// <param name="SeenDrift">
/// Pairs of held-out images with the same value of every kept attribute and other, seen, values of the
/// novel attributes: the mean squared distance of their chunks over that of random pairs of held-out
/// images (0: the chunk ignores the novel attributes; about 1: as far apart as unrelated images). Scale-free,
/// so models whose codes differ in size compare.
/// </param>
/// <param name="UnseenDrift">The same with one image of each pair taking novel attributes' values the model never saw.</param>
/// <param name="SeenMse">The pairs' mean squared chunk distance in code units (the paper's Section 3.2 measure).</param>
/// <param name="UnseenMse">The same for pairs with an unseen value.</param>
/// <param name="SeenChunkAccuracy">Fraction of held-out images whose chunk is nearest to their own value's mean chunk (means of the held-out codes).</param>
/// <param name="UnseenChunkAccuracy">The same for images with unseen values, against the held-out means.</param>
public sealed record UnseenValueDrift(
    string Attribute,
    double SeenDrift,
    double UnseenDrift,
    double SeenMse,
    double UnseenMse,
    double SeenChunkAccuracy,
    double UnseenChunkAccuracy);

/// <summary>
/// The paper's Section 3.2 test: images whose novel attributes (e.g. the colours) take values never seen in
/// training, paired with held-out images that share every other attribute; does the code of those other
/// attributes stay where it was?
/// </summary>
/// <param name="NovelAttributes">Attributes with at least one value in the unseen set that the model was not trained on.</param>
/// <param name="UnseenImages">Images of the unseen set that had a held-out image with the same kept values.</param>
/// <param name="Kept">One row per kept attribute (every attribute of the layout that is not novel), in layout order.</param>
/// <param name="SeenDrift">All kept chunks together: <see cref="UnseenValueDrift.SeenDrift"/> over the concatenated chunks.</param>
/// <param name="UnseenDrift">All kept chunks together: <see cref="UnseenValueDrift.UnseenDrift"/> over the concatenated chunks.</param>
public sealed record UnseenValueReport(
    IReadOnlyList<string> NovelAttributes,
    int UnseenImages,
    IReadOnlyList<UnseenValueDrift> Kept,
    double SeenDrift,
    double UnseenDrift);

/// <summary>Measures <see cref="UnseenValueReport"/>: how a model's code holds known attributes of images with unseen values.</summary>
public static class UnseenValueEvaluator
{
    /// <summary>
    /// Encodes <paramref name="heldOut"/> (images with values the model was trained on, not the training
    /// images themselves) and <paramref name="unseen"/> (the same attributes, some taking values the model's
    /// training set did not have) and compares the kept attributes' chunks.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="heldOut">Labelled images with seen values (the reference pairs and value means).</param>
    /// <param name="unseen">Labelled images in which at least one attribute takes values the model has not seen.</param>
    /// <param name="pairs">At most this many unseen images (each paired with one held-out image), and as many seen pairs.</param>
    /// <param name="seed">Seed of the pairing.</param>
    public static UnseenValueReport Evaluate(DeaeModel model, ImageDataset heldOut, ImageDataset unseen, int pairs = 500, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(model.Layout, model.Attributes, heldOut, unseen, (data, indices) => model.Encode(indices.Select(i => data.GetPixels(i).ToArray()).ToList()), pairs, seed);
    }

    /// <summary>The measurement, with the encoder as a function (tests give it codes with a known answer).</summary>
    /// <param name="layout">The latent layout.</param>
    /// <param name="trainedOn">The attributes and values the model was trained on.</param>
    /// <param name="heldOut">Labelled images with seen values.</param>
    /// <param name="unseen">Labelled images with some unseen values.</param>
    /// <param name="encode">Codes of the given images of a set.</param>
    /// <param name="pairs">At most this many unseen images, and as many seen pairs.</param>
    /// <param name="seed">Seed of the pairing.</param>
    internal static UnseenValueReport Evaluate(
        LatentLayout layout, IReadOnlyList<AttributeDefinition> trainedOn, ImageDataset heldOut, ImageDataset unseen, Func<ImageDataset, IReadOnlyList<int>, float[][]> encode, int pairs, int seed)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(unseen);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pairs);
        if (unseen.Width != heldOut.Width || unseen.Height != heldOut.Height || unseen.Channels != heldOut.Channels)
        {
            throw new ArgumentException(
                $"The unseen set holds {unseen.Channels}x{unseen.Width}x{unseen.Height} images; the model's held-out images are {heldOut.Channels}x{heldOut.Width}x{heldOut.Height}.", nameof(unseen));
        }

        var unseenColumns = layout.Attributes.Select(a => ColumnOf(unseen, a, "unseen")).ToArray();
        var heldColumns = layout.Attributes.Select(a => ColumnOf(heldOut, a, "held-out")).ToArray();
        var novelNames = NovelAttributes(trainedOn.Where(a => layout.Attributes.Contains(a.Name)).ToList(), unseen);
        var novel = Enumerable.Range(0, layout.Count).Where(k => novelNames.Contains(layout.Attributes[k])).ToArray();
        if (novel.Length == 0)
        {
            throw new ArgumentException($"The unseen set has no value the model was not trained on (attributes: {string.Join(", ", layout.Attributes)}); nothing to measure.", nameof(unseen));
        }

        var kept = Enumerable.Range(0, layout.Count).Except(novel).ToArray();
        if (kept.Length == 0)
        {
            throw new ArgumentException($"Every attribute of the unseen set ({string.Join(", ", layout.Attributes)}) takes values the model was not trained on; none is left to hold fixed.", nameof(unseen));
        }

        string Key(ImageDataset data, int[] columns, int i) => string.Join('\u001f', kept.Select(k => data.GetValue(i, columns[k])));
        var heldByKey = Enumerable.Range(0, heldOut.Count).GroupBy(i => Key(heldOut, heldColumns, i)).ToDictionary(g => g.Key, g => g.ToArray());
        var random = new Random(seed);
        var order = Enumerable.Range(0, unseen.Count).ToArray();
        random.Shuffle(order);
        var unseenPairs = order.Select(u => (U: u, Partners: heldByKey.GetValueOrDefault(Key(unseen, unseenColumns, u)))).Where(x => x.Partners is not null).Take(pairs)
            .Select(x => (x.U, S: Pick(x.Partners!, random))).ToList();
        if (unseenPairs.Count == 0)
        {
            throw new ArgumentException(
                $"No unseen image shares its {string.Join(", ", kept.Select(k => layout.Attributes[k]))} values with a held-out image; the pairs need images that differ only in {string.Join(", ", novel.Select(k => layout.Attributes[k]))}.",
                nameof(unseen));
        }

        var seenPairs = SeenPairs(heldOut, heldColumns, novel, heldByKey, Key, unseenPairs.Count, random);
        var heldCodes = encode(heldOut, Enumerable.Range(0, heldOut.Count).ToList());
        var unseenCodes = encode(unseen, unseenPairs.Select(p => p.U).ToList());

        // Mean over pairs of the squared distance summed over the dimensions.
        double PairDistance(IReadOnlyList<int> dimensions, bool withUnseen) => withUnseen
            ? unseenPairs.Select((p, n) => SquaredDistance(unseenCodes[n], heldCodes[p.S], dimensions)).Average()
            : seenPairs.Select(p => SquaredDistance(heldCodes[p.A], heldCodes[p.B], dimensions)).Average();

        // Drift: over random pairs of held-out codes, which lie 2 × variance apart per dimension on average.
        // MSE: per dimension, in code units.
        (double Seen, double Unseen, double SeenMse, double UnseenMse) Measure(IReadOnlyList<int> dimensions)
        {
            double spread = dimensions.Sum(d => 2 * Variance(heldCodes, d));
            double seen = PairDistance(dimensions, false), unseenDistance = PairDistance(dimensions, true);
            return spread > 0
                ? (seen / spread, unseenDistance / spread, seen / dimensions.Count, unseenDistance / dimensions.Count)
                : (double.NaN, double.NaN, seen / dimensions.Count, unseenDistance / dimensions.Count);
        }

        var rows = kept.Select(k =>
        {
            var dimensions = Dimensions(layout.Range(k));
            var means = Enumerable.Range(0, heldOut.Count).GroupBy(i => heldOut.GetValue(i, heldColumns[k]))
                .ToDictionary(g => g.Key, g => Mean(g.Select(i => heldCodes[i]), dimensions));
            double seenAccuracy = Enumerable.Range(0, heldOut.Count)
                .Average(i => Nearest(means, heldCodes[i], dimensions) == heldOut.GetValue(i, heldColumns[k]) ? 1.0 : 0.0);
            double unseenAccuracy = unseenPairs.Select((p, n) => Nearest(means, unseenCodes[n], dimensions) == unseen.GetValue(p.U, unseenColumns[k]) ? 1.0 : 0.0).Average();
            var (seenDrift, unseenDrift, seenMse, unseenMse) = Measure(dimensions);
            return new UnseenValueDrift(layout.Attributes[k], seenDrift, unseenDrift, seenMse, unseenMse, seenAccuracy, unseenAccuracy);
        }).ToList();
        var all = Measure(kept.SelectMany(k => Dimensions(layout.Range(k))).ToList());
        return new UnseenValueReport(novel.Select(k => layout.Attributes[k]).ToList(), unseenPairs.Count, rows, all.Seen, all.Unseen);
    }

    /// <summary>
    /// The attributes of <paramref name="trainedOn"/> for which some image of <paramref name="unseen"/> takes a
    /// value that is not among the trained values; throws naming an attribute the unseen set does not label.
    /// </summary>
    /// <param name="trainedOn">The attributes and values a model was (or will be) trained on.</param>
    /// <param name="unseen">The set with unseen values.</param>
    public static IReadOnlyList<string> NovelAttributes(IReadOnlyList<AttributeDefinition> trainedOn, ImageDataset unseen)
    {
        ArgumentNullException.ThrowIfNull(trainedOn);
        ArgumentNullException.ThrowIfNull(unseen);
        return trainedOn.Where(a =>
        {
            int column = ColumnOf(unseen, a.Name, "unseen");
            var known = a.Values.ToHashSet(StringComparer.Ordinal);
            return Enumerable.Range(0, unseen.Count).Any(i => !known.Contains(unseen.GetValue(i, column)));
        }).Select(a => a.Name).ToList();
    }

    private static int ColumnOf(ImageDataset data, string attribute, string which)
    {
        int column = data.Attributes.ToList().FindIndex(a => a.Name == attribute);
        return column >= 0 ? column : throw new ArgumentException(
            $"The {which} set has no attribute '{attribute}', which the model has a chunk for (its attributes: {string.Join(", ", data.Attributes.Select(a => a.Name))}).");
    }

    /// <summary>
    /// Held-out pairs with the same kept values and other values of the novel attributes (all of them where
    /// such a partner exists, else at least one): the seen counterpart of the unseen pairs.
    /// </summary>
    private static List<(int A, int B)> SeenPairs(
        ImageDataset heldOut, int[] columns, int[] novel, Dictionary<string, int[]> byKey, Func<ImageDataset, int[], int, string> key, int count, Random random)
    {
        int Differences(int a, int b) => novel.Count(k => heldOut.GetLabel(a, columns[k]) != heldOut.GetLabel(b, columns[k]));
        var result = new List<(int, int)>();
        for (int tries = 0; result.Count < count && tries < count * 20; tries++)
        {
            int a = random.Next(heldOut.Count);
            var group = byKey[key(heldOut, columns, a)];
            int most = group.Max(b => Differences(a, b));
            if (most > 0)
            {
                result.Add((a, Pick(group.Where(b => Differences(a, b) == most).ToArray(), random)));
            }
        }

        return result.Count > 0 ? result : throw new ArgumentException(
            $"No two held-out images share their kept values and differ in {string.Join(", ", novel.Select(k => heldOut.Attributes[columns[k]].Name))}; the seen reference needs such pairs.");
    }

    private static int Pick(int[] candidates, Random random) => candidates[random.Next(candidates.Length)];

    private static int[] Dimensions(Range range) => Enumerable.Range(range.Start.Value, range.End.Value - range.Start.Value).ToArray();

    private static double SquaredDistance(float[] a, float[] b, IReadOnlyList<int> dimensions) => dimensions.Sum(d => (double)(a[d] - b[d]) * (a[d] - b[d]));

    private static double Variance(float[][] codes, int d)
    {
        double mean = codes.Average(c => (double)c[d]);
        return codes.Average(c => (c[d] - mean) * (c[d] - mean));
    }

    private static float[] Mean(IEnumerable<float[]> codes, int[] dimensions)
    {
        var list = codes.ToList();
        return dimensions.Select(d => (float)list.Average(c => c[d])).ToArray();
    }

    private static string Nearest(Dictionary<string, float[]> means, float[] code, int[] dimensions) =>
        means.MinBy(m => m.Value.Select((v, j) => (double)(code[dimensions[j]] - v) * (code[dimensions[j]] - v)).Sum()).Key;
}
