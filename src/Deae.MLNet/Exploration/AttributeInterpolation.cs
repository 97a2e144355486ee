using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Exploration;

/// <summary>
/// Random interpolation of one attribute between two codes, the paper's exploration by interpolation
/// (Section 2.3) and the move its regulariser trains on: the attribute's chunk becomes a random mix of the
/// two codes' chunks while every other chunk stays the first code's.
/// </summary>
public static class AttributeInterpolation
{
    /// <summary>
    /// <paramref name="count"/> codes, each <paramref name="from"/> with <paramref name="attribute"/>'s chunk a random
    /// mix of <paramref name="from"/>'s and <paramref name="to"/>'s: a uniform weight per dimension
    /// (<see cref="InterpolationMode.PerDimensionUniform"/>, as the research code) or one weight for the chunk
    /// (<see cref="InterpolationMode.Linear"/>, a point on the straight line).
    /// </summary>
    /// <param name="layout">The model's latent layout.</param>
    /// <param name="from">The code whose other chunks are kept.</param>
    /// <param name="to">The code the attribute's chunk is mixed with.</param>
    /// <param name="attribute">The attribute whose chunk is mixed.</param>
    /// <param name="count">Codes to draw.</param>
    /// <param name="mode">Per-dimension weights or one weight per code.</param>
    /// <param name="seed">Seed of the weights.</param>
    public static float[][] Random(LatentLayout layout, float[] from, float[] to, string attribute, int count, InterpolationMode mode = InterpolationMode.PerDimensionUniform, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (from.Length != layout.Dimension || to.Length != layout.Dimension)
        {
            throw new ArgumentException($"The codes have {from.Length} and {to.Length} values; the latent layout {layout} has {layout.Dimension}.");
        }

        if (!layout.Attributes.Contains(attribute))
        {
            throw new ArgumentException($"The latent layout has no chunk for attribute '{attribute}' (chunks: {string.Join(", ", layout.Attributes)}).", nameof(attribute));
        }

        var range = layout.Range(layout.IndexOf(attribute));
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var code = (float[])from.Clone();
            Func<float> perDimension = () => (float)random.NextDouble();
            if (mode == InterpolationMode.Linear)
            {
                float alpha = perDimension();
                Mix(code, from, to, range, () => alpha);
            }
            else
            {
                Mix(code, from, to, range, perDimension);
            }

            return code;
        }).ToArray();
    }

    /// <summary>Writes into <paramref name="target"/>'s <paramref name="range"/> the mix a + w·(b − a), one weight drawn per dimension.</summary>
    internal static void Mix(float[] target, float[] a, float[] b, Range range, Func<float> weight)
    {
        for (int d = range.Start.Value; d < range.End.Value; d++)
        {
            float w = weight();
            target[d] = a[d] + (w * (b[d] - a[d]));
        }
    }
}
