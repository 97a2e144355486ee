using Deae.MLNet.Exploration;
using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class AttributeInterpolationTests
{
    private static readonly LatentLayout s_layout = LatentLayout.Parse("letter:3,background_color:4,font_color:3", null);
    private static readonly float[] s_from = Enumerable.Range(0, 10).Select(d => (float)d).ToArray();
    private static readonly float[] s_to = Enumerable.Range(0, 10).Select(d => 10f - (3 * d)).ToArray();

    [Theory]
    [InlineData(InterpolationMode.PerDimensionUniform)]
    [InlineData(InterpolationMode.Linear)]
    public void OnlyTheAttributesChunkMovesAndItStaysBetweenTheTwoCodes(InterpolationMode mode)
    {
        var codes = AttributeInterpolation.Random(s_layout, s_from, s_to, "background_color", 50, mode, seed: 3);
        Assert.Equal(50, codes.Length);
        var chunk = s_layout.Range(s_layout.IndexOf("background_color"));
        foreach (var code in codes)
        {
            Assert.Equal(s_from[..chunk.Start.Value], code[..chunk.Start.Value]);
            Assert.Equal(s_from[chunk.End.Value..], code[chunk.End.Value..]);
            var weights = Enumerable.Range(chunk.Start.Value, 4).Select(d => (code[d] - s_from[d]) / (s_to[d] - s_from[d])).ToArray();
            Assert.All(weights, w => Assert.InRange(w, -1e-5f, 1 + 1e-5f));

            // Linear: one weight for the chunk, a point on the straight line; per dimension: weights of their own.
            float spread = weights.Max() - weights.Min();
            Assert.True(mode == InterpolationMode.Linear ? spread < 1e-5f : spread > 1e-3f, $"{mode}: weights {string.Join(", ", weights)}");
        }

        // Seeded: the same draws again, others with another seed; the weights cover the whole interval.
        Assert.Equal(codes, AttributeInterpolation.Random(s_layout, s_from, s_to, "background_color", 50, mode, seed: 3));
        Assert.NotEqual(codes, AttributeInterpolation.Random(s_layout, s_from, s_to, "background_color", 50, mode, seed: 4));
        var first = codes.Select(c => (c[chunk.Start.Value] - s_from[chunk.Start.Value]) / (s_to[chunk.Start.Value] - s_from[chunk.Start.Value])).ToList();
        Assert.True(first.Min() < 0.2 && first.Max() > 0.8, $"weights from {first.Min()} to {first.Max()}");
    }

    [Fact]
    public void AnUnknownAttributeOrAWrongCodeLengthIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => AttributeInterpolation.Random(s_layout, s_from, s_to, "colour", 2));
        Assert.Contains("no chunk for attribute 'colour'", error.Message);
        Assert.Contains("has 10", Assert.Throws<ArgumentException>(() => AttributeInterpolation.Random(s_layout, s_from[..9], s_to, "letter", 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AttributeInterpolation.Random(s_layout, s_from, s_to, "letter", 0));
    }
}
