using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Evaluation;

/// <summary>Controllability of one attribute, for swaps and for half-way interpolations.</summary>
/// <param name="Attribute">The edited attribute.</param>
/// <param name="SwapTarget">Fraction of swaps whose edited attribute reads as the donor's value.</param>
/// <param name="SwapOthersKept">Fraction of swaps whose every other attribute reads as the original's.</param>
/// <param name="SwapResidual">Perfect-disentanglement residual of swaps: mean L1 on the non-edited chunks after re-encoding.</param>
/// <param name="InterpolationOthersKept">Fraction of half-way interpolations whose every other attribute reads as the original's.</param>
/// <param name="InterpolationResidual">The residual for half-way interpolations.</param>
/// <param name="InterpolationTarget">
/// Fraction of interpolations three quarters of the way from the original's chunk to the donor's (α = 0.75) whose
/// edited attribute reads as the donor's value: half-way has no target value, but an edit that moves the chunk most
/// of the way should show the value it moves towards.
/// </param>
/// <param name="SwapKeptByAttribute">For each other attribute, the fraction of swaps in which it reads as the original's (which attribute a swap loses).</param>
/// <param name="InterpolationKeptByAttribute">The same for half-way interpolations.</param>
public sealed record AttributeControl(
    string Attribute,
    double SwapTarget,
    double SwapOthersKept,
    double SwapResidual,
    double InterpolationOthersKept,
    double InterpolationResidual,
    double InterpolationTarget,
    IReadOnlyDictionary<string, double> SwapKeptByAttribute,
    IReadOnlyDictionary<string, double> InterpolationKeptByAttribute);

/// <summary>Everything measured about one model on held-out images.</summary>
/// <param name="Model">The model kind.</param>
/// <param name="Disentanglement">MIG, SAP, DCI, modularity, FactorVAE on the held-out codes.</param>
/// <param name="Control">Per attribute, swap and interpolation controllability.</param>
/// <param name="InterpolationValidity">Fonts-like sets: fraction of half-way background interpolations that are real edits (the border moved more than 30 RGB units from X's background) and well formed (uniform border, font colour and, with a letter chunk, letter unchanged); null otherwise.</param>
/// <param name="ReconstructionRead">
/// Per attribute, the fraction of held-out reconstructions (no edit) whose attribute reads as the image's
/// value: how faithfully the model draws at all, which caps every "kept" rate.
/// </param>
/// <param name="CodeScale">
/// Mean, over latent dimensions, of the held-out codes' standard deviation. The residuals are distances in
/// code units, so a model whose codes are smaller scores smaller residuals without re-encoding any more
/// faithfully; divide a residual by this to compare models.
/// </param>
/// <param name="ChunkSeparation">
/// Per attribute, how far apart its values lie in its own chunk of the held-out codes: the variance of the
/// value means over the variance within values (scale-free, so models with codes of different sizes
/// compare). An attribute whose chunk separates its values poorly cannot be drawn reliably after a swap.
/// Infinity when the chunk does not vary within values but does between them; 0 for a chunk that does not vary.
/// </param>
/// <param name="Layout">The model's latent layout (<see cref="LatentLayout.ToString"/>, e.g. <c>shape:4,scale:4</c>): which dimensions the rows below belong to.</param>
/// <param name="MutualInformation">
/// Per latent dimension, its mutual information (nats, 20 equal-width bins) with each attribute in layout
/// order: the matrix MIG and modularity are computed from.
/// </param>
/// <param name="ModularityByDimension">Per latent dimension, its modularity (<see cref="DisentanglementMetrics.ModularityPerDimension"/>); their mean is the modularity score.</param>
public sealed record ModelReport(
    string Model,
    DisentanglementScores Disentanglement,
    IReadOnlyList<AttributeControl> Control,
    double? InterpolationValidity,
    IReadOnlyDictionary<string, double> ReconstructionRead,
    double CodeScale,
    IReadOnlyDictionary<string, double> ChunkSeparation,
    string Layout,
    IReadOnlyList<double[]> MutualInformation,
    IReadOnlyList<double> ModularityByDimension)
{
    /// <summary>
    /// The paper's Section 3.2 test when a set with unseen values was given (<see cref="UnseenValueEvaluator"/>):
    /// how the chunks of the other attributes move when some attributes take values never seen in training; else null.
    /// </summary>
    public UnseenValueReport? UnseenValues { get; init; }

    /// <summary>
    /// The first <see cref="ModelEvaluator.ValidityExampleCount"/> background pairs judged for
    /// <see cref="InterpolationValidity"/> (the same pairs for every model given the same held-out images, seed and
    /// layout), each with whether its half-way image was valid; empty when validity is not defined.
    /// </summary>
    public IReadOnlyList<ValidityExample> ValidityExamples { get; init; } = [];

    /// <summary>
    /// Why half-way background interpolations were judged invalid: the fraction failing each check behind
    /// <see cref="InterpolationValidity"/>; null when validity is not defined.
    /// </summary>
    public ValidityFailures? InterpolationValidityFailures { get; init; }
}

/// <summary>One half-way background interpolation judged for validity.</summary>
/// <param name="Original">Held-out index of the image whose background is moved.</param>
/// <param name="Donor">Held-out index of the image whose background chunk it is moved half-way towards.</param>
/// <param name="Valid">Whether the half-way image was well formed (<see cref="ModelReport.InterpolationValidity"/>).</param>
public sealed record ValidityExample(int Original, int Donor, bool Valid)
{
    /// <summary>The half-way image that was judged (interleaved RGB bytes, the held-out images' size); not written to JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[] HalfwayImage { get; init; } = [];
}

/// <summary>Measures a model's controllability and disentanglement on held-out images with <see cref="AttributeOracles"/>.</summary>
public static class ModelEvaluator
{
    /// <summary>How many of the validity pairs a report keeps as <see cref="ModelReport.ValidityExamples"/>.</summary>
    public const int ValidityExampleCount = 8;

    /// <summary>
    /// Refuses held-out images on which <paramref name="attributes"/> cannot all be judged: an attribute that takes
    /// one value in all of them has no edit to make and nothing to disentangle. Callers that train first should call
    /// this before training.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the attribute and its one value.</exception>
    public static void CheckHeldOut(ImageDataset heldOut, IEnumerable<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(attributes);
        if (heldOut.Count == 0)
        {
            throw new ArgumentException("There are no held-out images to evaluate on.", nameof(heldOut));
        }

        foreach (string attribute in attributes)
        {
            int column = heldOut.AttributeIndex(attribute);
            string first = heldOut.GetValue(0, column);
            if (Enumerable.Range(1, heldOut.Count - 1).All(i => heldOut.GetValue(i, column) == first))
            {
                throw new ArgumentException($"Attribute '{attribute}' takes one value ('{first}') in all {heldOut.Count} held-out images: its edits and disentanglement cannot be measured.", nameof(heldOut));
            }
        }
    }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="heldOut"/> (labelled images it was not trained on).</summary>
    public static ModelReport Evaluate(DeaeModel model, ImageDataset heldOut, AttributeOracles oracles, int pairs = 200, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(oracles);
        var layout = model.Layout;
        CheckHeldOut(heldOut, layout.Attributes); // before encoding every held-out image
        var images = Enumerable.Range(0, heldOut.Count).Select(i => heldOut.GetPixels(i).ToArray()).ToArray();
        var codes = model.Encode(images);
        var columns = layout.Attributes.Select(heldOut.AttributeIndex).ToArray();
        var factors = Enumerable.Range(0, heldOut.Count).Select(i => columns.Select(c => heldOut.GetLabel(i, c)).ToArray()).ToList();
        var mutualInformation = DisentanglementMetrics.MutualInformation(codes, factors);
        var disentanglement = DisentanglementMetrics.Evaluate(codes, factors, seed, mutualInformation);

        var reconstructions = model.Decode(codes);
        var reconstructionRead = layout.Attributes.Select((attribute, k) => (attribute, k)).ToDictionary(
            a => a.attribute,
            a => oracles.Shows(a.attribute, reconstructions, Enumerable.Range(0, heldOut.Count).Select(i => heldOut.GetValue(i, columns[a.k])).ToArray()).Average(s => s ? 1.0 : 0.0));

        var random = new Random(seed);
        var control = new List<AttributeControl>();
        double? validity = null;
        List<ValidityExample> examples = [];
        ValidityFailures? failures = null;
        for (int k = 0; k < layout.Count; k++)
        {
            var range = layout.Range(k);
            int column = columns[k];
            var chosen = Pairs(heldOut, column, pairs, random, (x, y) => oracles.LookAlike(heldOut, column, x, y));
            var swapped = chosen.Select(p => WithChunk(codes[p.X], codes[p.Y], range, 1f)).ToList();
            var halfway = chosen.Select(p => WithChunk(codes[p.X], codes[p.Y], range, 0.5f)).ToList();
            var swapImages = model.Decode(swapped);
            var halfImages = model.Decode(halfway);
            var threeQuarterImages = model.Decode(chosen.Select(p => WithChunk(codes[p.X], codes[p.Y], range, 0.75f)).ToList());
            string attribute = layout.Attributes[k];
            var donorValues = chosen.Select(p => heldOut.GetValue(p.Y, column)).ToArray();
            var target = oracles.Shows(attribute, swapImages, donorValues);
            var (swapKept, swapKeptBy) = OthersKept(oracles, heldOut, layout, columns, k, chosen, swapImages);
            var (halfKept, halfKeptBy) = OthersKept(oracles, heldOut, layout, columns, k, chosen, halfImages);
            control.Add(new AttributeControl(
                attribute,
                target.Average(t => t ? 1.0 : 0.0),
                swapKept,
                Residual(model, swapImages, swapped, range),
                halfKept,
                Residual(model, halfImages, halfway, range),
                oracles.Shows(attribute, threeQuarterImages, donorValues).Average(t => t ? 1.0 : 0.0),
                swapKeptBy,
                halfKeptBy));

            if (attribute == SwapEvaluator.Background && heldOut.Channels == 3 && layout.Attributes.Contains(SwapEvaluator.FontColor))
            {
                var checks = CheckPairs(oracles, heldOut, layout, chosen, halfImages);
                validity = checks.Average(c => c.Valid ? 1.0 : 0.0);
                failures = ValidityFailures.Of(checks);
                examples = [.. chosen.Take(ValidityExampleCount).Select((p, n) => new ValidityExample(p.X, p.Y, checks[n].Valid) { HalfwayImage = halfImages[n] })];
            }
        }

        var separation = layout.Attributes.Select((attribute, k) => (attribute, k)).ToDictionary(
            a => a.attribute,
            a => ChunkSeparation(codes, factors.Select(f => f[a.k]).ToArray(), layout.Range(a.k)));
        var miRows = Enumerable.Range(0, mutualInformation.GetLength(0))
            .Select(d => Enumerable.Range(0, mutualInformation.GetLength(1)).Select(f => mutualInformation[d, f]).ToArray()).ToArray();
        return new ModelReport(
            model.Kind.ToString(), disentanglement, control, validity, reconstructionRead, MeanStandardDeviation(codes), separation,
            layout.ToString(), miRows, DisentanglementMetrics.ModularityPerDimension(mutualInformation))
        {
            ValidityExamples = examples,
            InterpolationValidityFailures = failures,
        };
    }

    /// <summary>Variance of the per-value mean chunks over the variance within values (summed over the chunk's dimensions).</summary>
    internal static double ChunkSeparation(float[][] codes, int[] labels, Range range)
    {
        var chunks = codes.Select(c => c[range]).ToArray();
        var overall = MeanOf(chunks);
        var valueMeans = labels.Distinct().ToDictionary(v => v, v => MeanOf(chunks.Where((_, i) => labels[i] == v).ToArray()));
        double between = 0, within = 0;
        for (int i = 0; i < chunks.Length; i++)
        {
            var mean = valueMeans[labels[i]];
            for (int d = 0; d < mean.Length; d++)
            {
                between += (mean[d] - overall[d]) * (mean[d] - overall[d]);
                within += (chunks[i][d] - mean[d]) * (chunks[i][d] - mean[d]);
            }
        }

        // No spread within values: perfectly separated if the values differ at all, a dead chunk if they do not.
        return within > 0 ? between / within : between > 0 ? double.PositiveInfinity : 0;
    }

    private static double[] MeanOf(float[][] rows) =>
        Enumerable.Range(0, rows[0].Length).Select(d => rows.Average(r => (double)r[d])).ToArray();

    /// <summary>Mean over dimensions of the codes' standard deviation.</summary>
    internal static double MeanStandardDeviation(float[][] codes)
    {
        int dimensions = codes[0].Length;
        double total = 0;
        for (int d = 0; d < dimensions; d++)
        {
            double mean = codes.Average(c => (double)c[d]);
            total += Math.Sqrt(codes.Average(c => (c[d] - mean) * (c[d] - mean)));
        }

        return total / dimensions;
    }

    /// <summary>
    /// Pairs of images whose values of the attribute differ (for colours: the donor's value is not the image's
    /// other colour; with <paramref name="lookAlike"/>: X would not look the same with Y's value).
    /// </summary>
    internal static List<(int X, int Y)> Pairs(ImageDataset data, int column, int count, Random random, Func<int, int, bool>? lookAlike = null)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException("pairs", count, "The number of edited pairs per attribute must be positive.");
        }

        string name = data.Attributes[column].Name;
        if (data.Count < 2)
        {
            throw new ArgumentException($"Attribute '{name}': {data.Count} image(s) to pair; editing needs at least two.", nameof(data));
        }

        lookAlike ??= (x, y) => data.GetLabel(x, column) == data.GetLabel(y, column);
        int other = name switch
        {
            SwapEvaluator.Background when data.Attributes.Any(a => a.Name == SwapEvaluator.FontColor) => data.AttributeIndex(SwapEvaluator.FontColor),
            SwapEvaluator.FontColor when data.Attributes.Any(a => a.Name == SwapEvaluator.Background) => data.AttributeIndex(SwapEvaluator.Background),
            _ => -1,
        };
        var pairs = new List<(int, int)>();
        for (int tries = 0; pairs.Count < count && tries < count * 100; tries++)
        {
            int x = random.Next(data.Count), y = random.Next(data.Count);
            if (!lookAlike(x, y) && (other < 0 || data.GetValue(y, column) != data.GetValue(x, other)))
            {
                pairs.Add((x, y));
            }
        }

        string rule = other < 0 ? "" : $" with a donor value other than the image's {data.Attributes[other].Name}";
        return pairs.Count > 0 ? pairs : throw new ArgumentException($"Attribute '{name}': no pair of the {data.Count} images differs in it{rule} ({count * 100} random pairs tried).");
    }

    private static float[] WithChunk(float[] code, float[] donor, Range range, float alpha)
    {
        var result = (float[])code.Clone();
        var target = result.AsSpan(range);
        var source = donor.AsSpan(range);
        for (int d = 0; d < target.Length; d++)
        {
            target[d] += alpha * (source[d] - target[d]);
        }

        return result;
    }

    /// <summary>The fraction of edits whose every other attribute reads as X's, and the same per other attribute.</summary>
    internal static (double All, Dictionary<string, double> ByAttribute) OthersKept(AttributeOracles oracles, ImageDataset data, LatentLayout layout, int[] columns, int edited, List<(int X, int Y)> pairs, byte[][] images)
    {
        var kept = Enumerable.Repeat(true, pairs.Count).ToArray();
        var byAttribute = new Dictionary<string, double>();
        for (int k = 0; k < layout.Count; k++)
        {
            if (k == edited)
            {
                continue;
            }

            var shows = oracles.Shows(layout.Attributes[k], images, pairs.Select(p => data.GetValue(p.X, columns[k])).ToArray());
            int same = 0;
            for (int n = 0; n < pairs.Count; n++)
            {
                bool keeps = shows[n];
                kept[n] &= keeps;
                same += keeps ? 1 : 0;
            }

            byAttribute[layout.Attributes[k]] = (double)same / pairs.Count;
        }

        return (kept.Average(k => k ? 1.0 : 0.0), byAttribute);
    }

    /// <summary>Mean L1 between the intended code and the re-encoded image on every chunk but the edited one.</summary>
    internal static double Residual(DeaeModel model, byte[][] images, List<float[]> intended, Range edited)
    {
        var recoded = model.Encode(images);
        double sum = 0;
        int count = 0;
        for (int n = 0; n < recoded.Length; n++)
        {
            for (int d = 0; d < recoded[n].Length; d++)
            {
                if (d < edited.Start.Value || d >= edited.End.Value)
                {
                    sum += Math.Abs(recoded[n][d] - intended[n][d]);
                    count++;
                }
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// Judges half-way background interpolations: valid ones are real edits that stay well formed (the border
    /// moved away from X's background colour, is uniform, and the font colour and letter are unchanged).
    /// </summary>
    internal static ValidityCheck[] CheckPairs(AttributeOracles oracles, ImageDataset data, LatentLayout layout, List<(int X, int Y)> pairs, byte[][] images)
    {
        var fonts = oracles.Read(SwapEvaluator.FontColor, images);
        string[]? letters = layout.Attributes.Contains("letter") ? oracles.Read("letter", images) : null;
        int fc = data.AttributeIndex(SwapEvaluator.FontColor), bg = data.AttributeIndex(SwapEvaluator.Background);
        int letter = letters is null ? -1 : data.AttributeIndex("letter");
        return pairs.Select((p, n) => new ValidityCheck(
            Moved(images[n], data, NamedColor.Parse(data.GetValue(p.X, bg), SwapEvaluator.Background)),
            UniformBorder(images[n], data.Width, data.Height),
            fonts[n] == data.GetValue(p.X, fc),
            letters is null || letters[n] == data.GetValue(p.X, letter))).ToArray();
    }

    private static bool Moved(byte[] rgb, ImageDataset data, NamedColor original)
    {
        var (r, g, b) = ColorOracle.BorderColor(rgb, data.Width, data.Height);
        return NamedColor.DistanceSquared(original, r, g, b) > 30 * 30;
    }

    private static bool UniformBorder(byte[] rgb, int width, int height)
    {
        var (r, g, b) = ColorOracle.BorderColor(rgb, width, height);
        int far = 0, total = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (x == 0 || y == 0 || x == width - 1 || y == height - 1)
                {
                    int p = ((y * width) + x) * 3;
                    int dr = rgb[p] - r, dg = rgb[p + 1] - g, db = rgb[p + 2] - b;
                    far += (dr * dr) + (dg * dg) + (db * db) > 30 * 30 ? 1 : 0;
                    total++;
                }
            }
        }

        // Well formed: at most 5% of the border strays more than 30 RGB units from its median colour.
        return far <= total / 20;
    }
}
