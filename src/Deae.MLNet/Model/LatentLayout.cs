namespace Deae.MLNet.Model;

/// <summary>
/// How the latent code is split between attributes: an ordered list of chunks, one per attribute,
/// each a contiguous run of dimensions. Every part of the project that needs "which dimensions
/// belong to attribute k" asks this type.
/// </summary>
public sealed class LatentLayout : IEquatable<LatentLayout>
{
    private readonly int[] _offsets;

    /// <summary>Creates a layout from (attribute, chunk size) pairs in order.</summary>
    /// <param name="chunks">Each attribute's name and number of dimensions, in latent order.</param>
    public LatentLayout(IEnumerable<(string Attribute, int Size)> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var list = chunks.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A latent layout needs at least one attribute.", nameof(chunks));
        }

        _offsets = new int[list.Count];
        int offset = 0;
        for (int k = 0; k < list.Count; k++)
        {
            if (string.IsNullOrWhiteSpace(list[k].Attribute))
            {
                throw new ArgumentException($"Chunk {k} has no attribute name.", nameof(chunks));
            }

            if (list[k].Size <= 0)
            {
                throw new ArgumentException($"Chunk '{list[k].Attribute}' has {list[k].Size} dimensions; it needs at least one.", nameof(chunks));
            }

            _offsets[k] = offset;
            offset += list[k].Size;
        }

        var duplicate = list.GroupBy(c => c.Attribute, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Attribute '{duplicate.Key}' has more than one chunk.", nameof(chunks));
        }

        Attributes = list.Select(c => c.Attribute).ToArray();
        Sizes = list.Select(c => c.Size).ToArray();
        Dimension = offset;
    }

    /// <summary>Equal chunks of <paramref name="dimension"/> / attributes (the first chunks take any remainder, one each).</summary>
    /// <param name="attributes">Attribute names in latent order.</param>
    /// <param name="dimension">The latent dimension z.</param>
    public static LatentLayout Equal(IReadOnlyList<string> attributes, int dimension)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0 || dimension < attributes.Count)
        {
            throw new ArgumentException($"A latent of {dimension} dimensions cannot give each of {attributes.Count} attributes a chunk.", nameof(dimension));
        }

        int size = dimension / attributes.Count, extra = dimension % attributes.Count;
        return new LatentLayout(attributes.Select((a, k) => (a, size + (k < extra ? 1 : 0))));
    }

    /// <summary>Checks that the chunks sum to <paramref name="dimension"/>; the error names both numbers.</summary>
    public void EnsureDimension(int dimension)
    {
        if (Dimension != dimension)
        {
            throw new ArgumentException($"The latent layout's chunks sum to {Dimension} dimensions ({this}), but the latent has {dimension}.");
        }
    }

    /// <summary>Attribute names, in latent order.</summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>Chunk sizes, in latent order.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Total number of latent dimensions (z).</summary>
    public int Dimension { get; }

    /// <summary>Number of chunks (attributes).</summary>
    public int Count => Sizes.Count;

    /// <summary>The first dimension of chunk <paramref name="k"/>.</summary>
    public int Offset(int k) => _offsets[k];

    /// <summary>The dimensions of chunk <paramref name="k"/> as a range.</summary>
    public Range Range(int k) => new(_offsets[k], _offsets[k] + Sizes[k]);

    /// <summary>The chunk index of the attribute named <paramref name="attribute"/>; the error lists the known ones.</summary>
    public int IndexOf(string attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        for (int k = 0; k < Attributes.Count; k++)
        {
            if (string.Equals(Attributes[k], attribute, StringComparison.Ordinal))
            {
                return k;
            }
        }

        throw new ArgumentException($"The latent layout has no attribute '{attribute}' (attributes: {string.Join(", ", Attributes)}).");
    }

    /// <summary>A 0/1 mask over the latent that is 1 on chunk <paramref name="k"/>.</summary>
    public float[] Mask(int k)
    {
        var mask = new float[Dimension];
        Array.Fill(mask, 1f, _offsets[k], Sizes[k]);
        return mask;
    }

    /// <summary>Parses "letter:20,size:20" (sizes given) or "letter,size" with a dimension (equal chunks).</summary>
    /// <param name="text">The layout text.</param>
    /// <param name="dimension">z, needed when no sizes are given; checked when they are.</param>
    public static LatentLayout Parse(string text, int? dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        LatentLayout layout;
        if (parts.All(p => p.Contains(':')))
        {
            layout = new LatentLayout(parts.Select(p =>
            {
                var pair = p.Split(':');
                return int.TryParse(pair[1], out int size) ? (pair[0], size) : throw new FormatException($"Latent layout '{text}': '{p}' is not name:size.");
            }));
        }
        else if (parts.Any(p => p.Contains(':')))
        {
            throw new FormatException($"Latent layout '{text}': give a size for every attribute or for none.");
        }
        else
        {
            layout = Equal(parts, dimension ?? throw new ArgumentException($"Latent layout '{text}' gives no sizes, so the latent dimension is needed."));
        }

        if (dimension is int z)
        {
            layout.EnsureDimension(z);
        }

        return layout;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(",", Attributes.Select((a, k) => $"{a}:{Sizes[k]}"));

    /// <inheritdoc/>
    public bool Equals(LatentLayout? other) => other is not null && Attributes.SequenceEqual(other.Attributes) && Sizes.SequenceEqual(other.Sizes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LatentLayout);

    /// <inheritdoc/>
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
