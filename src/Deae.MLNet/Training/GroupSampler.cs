using Deae.MLNet.Data;

namespace Deae.MLNet.Training;

/// <summary>
/// Samples the paper's multigraph groups: a centre image C and, for each attribute k, a partner P_k
/// that shares k's value with C and differs from C in as many other attributes as the data allows.
/// Works for any number of attributes and for data sets that are not full factorial. Images are
/// indexed by attribute value, so a pick looks only at images that share the value.
/// </summary>
/// <remarks>
/// A value held by one image only gets the centre itself as partner (its swap terms then reduce to
/// reconstruction). An attribute with a single value cannot be learned from swaps and is an error.
/// To keep a pick cheap on large data, a value shared by more than 64 images has 64 of them examined (from a
/// random start, in a shuffled order) and the one differing in the most other attributes is taken, stopping
/// early at one that differs in all: on a set whose values mostly combine freely (the Fonts-like and
/// dSprites-like sets) the best possible partner is then missed only when fewer than one image in 64 of
/// the bucket reaches it.
/// </remarks>
public sealed class GroupSampler
{
    // At most this many images sharing the value are examined per partner pick, from a random
    // start; a smaller bucket is examined whole, so the pick is then the best the data allows.
    private const int CandidatesPerPick = 64;

    private readonly ImageDataset _data;
    private readonly int[] _attributes;
    private readonly int[][][] _byValue; // [attribute][value] -> image indices

    /// <summary>Indexes <paramref name="data"/> by the values of <paramref name="attributes"/>.</summary>
    /// <param name="data">The labelled images.</param>
    /// <param name="attributes">Indices (into data.Attributes) of the attributes that get partners, in latent order.</param>
    /// <param name="allowSingleValue">
    /// Accept an attribute with one value (every image is then a partner for it). Training refuses such an
    /// attribute, which it could not learn; a validation split may lack a value the training data varies in.
    /// </param>
    public GroupSampler(ImageDataset data, IReadOnlyList<int> attributes, bool allowSingleValue = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            throw new ArgumentException("Group sampling needs at least one attribute.", nameof(attributes));
        }

        if (data.Count < 2)
        {
            throw new ArgumentException($"Group sampling needs at least two images; the data set has {data.Count}.", nameof(data));
        }

        foreach (int a in attributes)
        {
            if ((uint)a >= (uint)data.Attributes.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(attributes), a, $"Attribute index {a} is not one of the data's {data.Attributes.Count} attributes.");
            }
        }

        _data = data;
        _attributes = attributes.ToArray();
        _byValue = new int[_attributes.Length][][];
        for (int k = 0; k < _attributes.Length; k++)
        {
            var attribute = data.Attributes[_attributes[k]];
            var buckets = Enumerable.Range(0, attribute.Values.Count).Select(_ => new List<int>()).ToArray();
            for (int i = 0; i < data.Count; i++)
            {
                buckets[data.GetLabel(i, _attributes[k])].Add(i);
            }

            var present = buckets.Count(b => b.Count > 0);
            if (present < 2 && !allowSingleValue)
            {
                throw new ArgumentException($"Attribute '{attribute.Name}' has a single value in the data ('{attribute.Values[data.GetLabel(0, _attributes[k])]}'), so there is nothing to disentangle; leave it out of the attribute columns.");
            }

            _byValue[k] = buckets.Select(b => b.ToArray()).ToArray();
        }
    }

    /// <summary>Images per group: the centre plus one partner per attribute.</summary>
    public int GroupSize => _attributes.Length + 1;

    /// <summary>
    /// Samples <paramref name="groups"/> groups into <paramref name="indices"/> (length groups × GroupSize):
    /// for each group the centre, then P_1 … P_m.
    /// </summary>
    public void Sample(int groups, Random random, Span<int> indices)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (indices.Length != groups * GroupSize)
        {
            throw new ArgumentException($"{groups} groups of {GroupSize} need {groups * GroupSize} indices.", nameof(indices));
        }

        for (int g = 0; g < groups; g++)
        {
            int centre = random.Next(_data.Count);
            var group = indices.Slice(g * GroupSize, GroupSize);
            group[0] = centre;
            for (int k = 0; k < _attributes.Length; k++)
            {
                group[k + 1] = PickPartner(centre, k, random);
            }
        }
    }

    /// <summary>An image sharing attribute k's value with the centre and differing in as many others as possible.</summary>
    private int PickPartner(int centre, int k, Random random)
    {
        int[] bucket = _byValue[k][_data.GetLabel(centre, _attributes[k])];
        if (bucket.Length == 1)
        {
            return centre;
        }

        int best = -1, bestScore = -1;
        int tries = Math.Min(CandidatesPerPick, bucket.Length);
        int start = random.Next(bucket.Length);
        // A stride coprime with the bucket length visits distinct images in a shuffled-looking order.
        int stride = bucket.Length > CandidatesPerPick ? 1 + (2 * random.Next(bucket.Length / 2)) : 1;
        while (bucket.Length > CandidatesPerPick && Gcd(stride, bucket.Length) != 1)
        {
            stride += 2;
        }

        for (int t = 0; t < tries; t++)
        {
            int candidate = bucket[(int)((start + ((long)t * stride)) % bucket.Length)];
            if (candidate == centre)
            {
                continue;
            }

            int score = 0;
            for (int j = 0; j < _attributes.Length; j++)
            {
                score += j != k && _data.GetLabel(candidate, _attributes[j]) != _data.GetLabel(centre, _attributes[j]) ? 1 : 0;
            }

            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
                if (score == _attributes.Length - 1)
                {
                    break;
                }
            }
        }

        return best >= 0 ? best : bucket.First(i => i != centre);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
