using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Exploration;

/// <summary>
/// Where each attribute's values lie in a model's latent space — per value a unit direction vector
/// (UDV, from LinearSvm) and a centre (mean code), plus KMeans centres — and the edits built on them:
/// move towards a value along its UDV, jump to a value's centre, mine new values along combined UDVs.
/// Saved with the model (<see cref="DeaeModel.Explorer"/>).
/// </summary>
public sealed class LatentExplorer
{
    /// <summary>What the explorer knows about one attribute.</summary>
    public sealed class AttributeSpace
    {
        /// <summary>
        /// Whether the vectors below live in the full latent (<see cref="LatentExplorerOptions.FullLatent"/>) rather
        /// than in the attribute's chunk; edits then move the whole code.
        /// </summary>
        [JsonPropertyName("full_latent")]
        public bool FullLatent { get; set; }

        /// <summary>Unit direction vector per value, in the attribute's chunk (or the full latent).</summary>
        [JsonPropertyName("udvs")]
        public Dictionary<string, float[]> Directions { get; set; } = [];

        /// <summary>Mean chunk (or full code) per value.</summary>
        [JsonPropertyName("centres")]
        public Dictionary<string, float[]> Centres { get; set; } = [];

        /// <summary>KMeans centres of the chunk (or of the full codes).</summary>
        [JsonPropertyName("clusters")]
        public List<float[]> Clusters { get; set; } = [];
    }

    /// <summary>Per attribute (latent layout name), its directions and centres.</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, AttributeSpace> Attributes { get; set; } = [];

    /// <summary>The latent layout the chunks refer to (e.g. "letter:20,size:20").</summary>
    [JsonPropertyName("layout")]
    public string Layout { get; set; } = "";

    /// <summary>
    /// Encodes <paramref name="data"/> with <paramref name="model"/> and fits UDVs, value centres and
    /// KMeans centres (k = number of values unless <paramref name="clusters"/> is given) in each attribute's chunk.
    /// </summary>
    /// <param name="model">The model whose codes are explored.</param>
    /// <param name="data">Labelled images of the model's geometry.</param>
    /// <param name="attributes">Attributes to fit; null for every chunk of the model.</param>
    /// <param name="options">SVM settings; null for the defaults.</param>
    /// <param name="clusters">KMeans k for every attribute; null for the number of values each shows.</param>
    public static LatentExplorer Fit(DeaeModel model, ImageDataset data, IEnumerable<string>? attributes = null, UnitDirectionOptions? options = null, int? clusters = null) =>
        Fit(model, data, new LatentExplorerOptions { Attributes = attributes?.ToList(), Directions = options ?? new UnitDirectionOptions(), Clusters = clusters });

    /// <summary>Encodes <paramref name="data"/> with <paramref name="model"/> and fits UDVs, value centres and KMeans centres per attribute.</summary>
    /// <param name="model">The model whose codes are explored.</param>
    /// <param name="data">Labelled images of the model's geometry.</param>
    /// <param name="options">Which attributes, on chunks or on the full latent, SVM settings and KMeans k.</param>
    public static LatentExplorer Fit(DeaeModel model, ImageDataset data, LatentExplorerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Directions, "options.Directions");
        var attributes = options.Attributes ?? model.Layout.Attributes;
        // On the full latent any labelled attribute can be explored, with or without a chunk of its own.
        if (!options.FullLatent && attributes.FirstOrDefault(a => !model.Layout.Attributes.Contains(a)) is string unknown)
        {
            throw new ArgumentException($"The model has no chunk for attribute '{unknown}' (chunks: {string.Join(", ", model.Layout.Attributes)}).", nameof(options));
        }

        var codes = model.Encode(Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToList());
        var explorer = new LatentExplorer { Layout = model.Layout.ToString() };
        foreach (string attribute in attributes)
        {
            var range = options.FullLatent ? Range.All : model.Layout.Range(model.Layout.IndexOf(attribute));
            int column = data.AttributeIndex(attribute);
            var vectors = codes.Select(c => c[range]).ToList();
            var labels = Enumerable.Range(0, data.Count).Select(i => data.GetValue(i, column)).ToList();
            explorer.Attributes[attribute] = new AttributeSpace
            {
                FullLatent = options.FullLatent,
                Directions = new(LatentDirections.FitUnitDirections(vectors, labels, attribute, options.Directions)),
                Centres = new(LatentDirections.ValueMeans(vectors, labels, attribute)),
                Clusters = [.. LatentDirections.ClusterCentres(vectors, options.Clusters ?? labels.Distinct().Count(), attribute, options.Directions.Seed)],
            };
        }

        return explorer;
    }

    /// <summary>
    /// A trajectory of <paramref name="steps"/> codes moving <paramref name="attribute"/>'s chunk of
    /// <paramref name="code"/> along the UDV of <paramref name="value"/>, from the code itself to the first
    /// point whose nearest value centre is <paramref name="value"/> (searched up to four times the distance
    /// to that centre; beyond the projection onto the centre if never reached). Other chunks are untouched. With
    /// <paramref name="keepOtherValuesFixed"/> the direction is orthogonalised against the other values' UDVs.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the attribute and values: an unknown attribute or value, a code that
    /// already has <paramref name="value"/>, or (with <paramref name="keepOtherValuesFixed"/>) a chunk too small to keep
    /// the other values fixed and still move.</exception>
    public float[][] MoveTowards(LatentLayout layout, float[] code, string attribute, string value, int steps, bool keepOtherValuesFixed = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var space = Space(attribute);
        var range = ChunkOf(layout, code, attribute, space);
        var direction = Direction(space, attribute, value);
        string current = NearestValue(space, code[range]);
        if (current == value)
        {
            throw new ArgumentException($"Attribute '{attribute}': the code already has value '{value}' (its chunk is nearest to that value's centre); choose another target value.");
        }

        if (keepOtherValuesFixed)
        {
            var kept = space.Directions.Where(d => d.Key != value && d.Key != current).ToList();
            try
            {
                direction = LatentDirections.ProjectOut(direction, kept.Select(d => d.Value));
            }
            catch (ArgumentException e) when (e.ParamName == "keepFixed")
            {
                // The projection cannot know which attribute and values its directions belong to; the caller's request can.
                throw new ArgumentException($"Attribute '{attribute}': cannot move from '{current}' towards '{value}' with {string.Join(", ", kept.Select(d => $"'{d.Key}'"))} kept fixed. {e.Message}", nameof(keepOtherValuesFixed), e);
            }
        }

        var chunk = code[range];
        var toCentre = space.Centres[value].Select((c, d) => c - chunk[d]).ToArray();
        float span = 4 * MathF.Sqrt(LatentDirections.Dot(toCentre, toCentre));
        float distance = Math.Max(LatentDirections.Dot(toCentre, direction), 0) is var projected && projected > 0 ? projected : span / 4;
        const int Probes = 128;
        for (int p = 1; p <= Probes; p++)
        {
            float t = span * p / Probes;
            if (NearestValue(space, chunk.Select((c, d) => c + (t * direction[d])).ToArray()) == value)
            {
                distance = t;
                break;
            }
        }

        return Path(code, range, direction, distance, steps);
    }

    /// <summary>
    /// <paramref name="code"/> with <paramref name="attribute"/>'s chunk replaced by <paramref name="value"/>'s centre.
    /// A code that already has <paramref name="value"/> is not refused (unlike <see cref="MoveTowards"/>, which
    /// needs a direction away from the current value): it is snapped to the value's centre.
    /// </summary>
    public float[] JumpToCentre(LatentLayout layout, float[] code, string attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(value);
        var space = Space(attribute);
        var range = ChunkOf(layout, code, attribute, space);
        if (!space.Centres.TryGetValue(value, out var centre))
        {
            throw new ArgumentException($"Attribute '{attribute}' has no value '{value}' (values: {string.Join(", ", space.Centres.Keys)}).");
        }

        var result = (float[])code.Clone();
        centre.CopyTo(result.AsSpan(range));
        return result;
    }

    /// <summary>
    /// Codes moving along a weighted combination of UDVs (e.g. blue +1, red +1, green −1) to look for
    /// values never seen in training; <paramref name="stepSize"/> is the distance per step in the chunk.
    /// </summary>
    public float[][] Mine(LatentLayout layout, float[] code, string attribute, IEnumerable<(string Value, float Weight)> combination, int steps, float stepSize)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(combination);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (!float.IsFinite(stepSize) || stepSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"Attribute '{attribute}': the step size must be a positive finite distance.");
        }

        var space = Space(attribute);
        var range = ChunkOf(layout, code, attribute, space);
        var terms = combination.ToList();
        string written = string.Concat(terms.Select(t => $" {t.Weight.ToString("+0.###;-0.###", CultureInfo.InvariantCulture)} {t.Value}"));
        var direction = LatentDirections.Combine(
            [.. terms.Select(t => (Direction(space, attribute, t.Value), t.Weight, $"'{t.Value}'"))],
            $"Attribute '{attribute}': the combination{written} of unit directions",
            nameof(combination));
        return Path(code, range, direction, stepSize * (steps - 1), steps);
    }

    /// <summary>The value of <paramref name="attribute"/> whose centre is nearest to <paramref name="code"/>'s chunk (or to the whole code, for a full-latent space).</summary>
    /// <param name="layout">The model's latent layout (the one the explorer was fitted on).</param>
    /// <param name="code">A full code.</param>
    /// <param name="attribute">A fitted attribute.</param>
    public string NearestValue(LatentLayout layout, float[] code, string attribute)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(code);
        var space = Space(attribute);
        return NearestValue(space, code[ChunkOf(layout, code, attribute, space)]);
    }

    /// <summary>The value whose centre is nearest to <paramref name="chunk"/> (the attribute's chunk, or a full code for a full-latent space).</summary>
    public string NearestValue(string attribute, float[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var space = Space(attribute);
        int size = space.Centres.Values.FirstOrDefault()?.Length ?? 0;
        return chunk.Length == size ? NearestValue(space, chunk)
            : throw new ArgumentException($"Attribute '{attribute}': the chunk has {chunk.Length} values; the explorer's has {size}.", nameof(chunk));
    }

    /// <summary>The explorer as JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Reads an explorer written by <see cref="ToJson"/>.</summary>
    public static LatentExplorer FromJson(byte[] json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return JsonSerializer.Deserialize<LatentExplorer>(json) ?? throw new InvalidDataException($"'{source}' has an empty exploration section.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{source}' has an unreadable exploration section: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks that the explorer fits a model of <paramref name="layout"/>: fitted on that layout, every attribute's
    /// space complete (a UDV and a centre for the same values, at least one cluster centre) and every vector the
    /// length of the attribute's chunk (or of the full latent) with finite values. An explorer of another model, or
    /// a hand-edited one, would otherwise fail only when used, with an index error far from the cause.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the attribute, the value and what does not fit.</exception>
    public void Validate(LatentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (Layout.Length > 0 && layout.ToString() != Layout)
        {
            throw new ArgumentException($"The explorer was fitted on the latent layout {Layout}, not on this model's {layout}.", nameof(layout));
        }

        foreach (var (attribute, space) in Attributes ?? throw new ArgumentException("The explorer has no attribute table."))
        {
            if (space?.Directions is null || space.Centres is null || space.Clusters is null)
            {
                throw new ArgumentException($"Attribute '{attribute}': the explorer's space lacks its UDVs, value centres or cluster centres.");
            }

            if (!space.FullLatent && !layout.Attributes.Contains(attribute))
            {
                throw new ArgumentException($"Attribute '{attribute}' has no chunk in the latent layout {layout}, and its space is not on the full latent.");
            }

            int length = space.FullLatent ? layout.Dimension : layout.Range(layout.IndexOf(attribute)).GetOffsetAndLength(layout.Dimension).Length;
            if (space.Centres.Count == 0 || space.Clusters.Count == 0 || !space.Directions.Keys.Order(StringComparer.Ordinal).SequenceEqual(space.Centres.Keys.Order(StringComparer.Ordinal)))
            {
                throw new ArgumentException($"Attribute '{attribute}': UDVs for ({string.Join(", ", space.Directions.Keys)}) and value centres for ({string.Join(", ", space.Centres.Keys)}) must name the same values, with at least one cluster centre.");
            }

            var vectors = space.Directions.Select(d => ($"the UDV of '{d.Key}'", d.Value))
                .Concat(space.Centres.Select(c => ($"the centre of '{c.Key}'", c.Value)))
                .Concat(space.Clusters.Select((c, i) => ($"cluster centre {i + 1}", c)));
            foreach (var (what, vector) in vectors)
            {
                if (vector is null || vector.Length != length || !vector.All(float.IsFinite))
                {
                    throw new ArgumentException($"Attribute '{attribute}': {what} has {(vector is null ? "no values" : $"{vector.Length} values{(vector.All(float.IsFinite) ? string.Empty : ", not all finite")}")}; {(space.FullLatent ? "the full latent" : "its chunk")} has {length}.");
                }
            }
        }
    }

    /// <summary>
    /// The part of <paramref name="code"/> that <paramref name="space"/> describes — the attribute's chunk, or all
    /// of it for a full-latent space — once the layout and the code are known to be the ones the explorer was fitted on.
    /// </summary>
    private Range ChunkOf(LatentLayout layout, float[] code, string attribute, AttributeSpace space)
    {
        // Explorers saved before the layout was recorded have none to compare.
        if (Layout.Length > 0 && layout.ToString() != Layout)
        {
            throw new ArgumentException($"The latent layout {layout} is not the one the explorer was fitted on ({Layout}).", nameof(layout));
        }

        if (code.Length != layout.Dimension)
        {
            throw new ArgumentException($"The code has {code.Length} values; the latent layout {layout} has {layout.Dimension}.", nameof(code));
        }

        return space.FullLatent ? Range.All : layout.Range(layout.IndexOf(attribute));
    }

    private AttributeSpace Space(string attribute) => attribute is null ? throw new ArgumentNullException(nameof(attribute))
        : Attributes.TryGetValue(attribute, out var space) ? space : throw new ArgumentException($"The explorer has no attribute '{attribute}' (attributes: {string.Join(", ", Attributes.Keys)}).");

    private static float[] Direction(AttributeSpace space, string attribute, string value) =>
        space.Directions.TryGetValue(value, out var d) ? d : throw new ArgumentException($"Attribute '{attribute}' has no value '{value}' (values: {string.Join(", ", space.Directions.Keys)}).");

    private static string NearestValue(AttributeSpace space, float[] chunk) =>
        space.Centres.MinBy(c => c.Value.Select((v, d) => (v - chunk[d]) * (v - chunk[d])).Sum()).Key;

    private static float[][] Path(float[] code, Range range, float[] direction, float distance, int steps) =>
        Enumerable.Range(0, steps).Select(s =>
        {
            var point = (float[])code.Clone();
            var chunk = point.AsSpan(range);
            float t = distance * s / (steps - 1);
            for (int d = 0; d < chunk.Length; d++)
            {
                chunk[d] += t * direction[d];
            }

            return point;
        }).ToArray();
}
