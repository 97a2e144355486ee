using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Deae.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;
using InterpolationMode = Deae.MLNet.Training.InterpolationMode;

namespace Deae.MLNet.Tests;

/// <summary>What the DEAE regulariser's interpolations look like in each <see cref="InterpolationMode"/>.</summary>
public class InterpolationTests
{
    /// <summary>Three attributes with chunks of 4, 3 and 3 dimensions.</summary>
    private static readonly LatentLayout Layout = new([("a", 4), ("b", 3), ("c", 3)]);

    /// <summary>
    /// Interpolations of 64 groups: C's code is 0 and partner P_k's code is k + 1 in every dimension, so a
    /// value v in chunk a means "moved v / (k + 1) of the way towards P_k". Returns, flat [64 × 10], the
    /// interpolated latents and the regulariser's targets, and the interpolated attribute of each group.
    /// </summary>
    private static (float[] Latents, float[] Targets, int[] Attribute) Interpolate(InterpolationMode mode)
    {
        const int groups = 64;
        int z = Layout.Dimension;
        var (latents, masks, targets) = Interpolations(mode, 1, () => (zeros(groups, z), arange(1, 4, dtype: float32).view(1, 3, 1).expand(groups, 3, z).contiguous()));
        var attribute = Enumerable.Range(0, groups)
            .Select(g => Enumerable.Range(0, Layout.Count).Single(k => Layout.Mask(k).AsSpan().SequenceEqual(masks.AsSpan(g * z, z))))
            .ToArray();
        return (latents, targets, attribute);
    }

    /// <summary>The objective's interpolations of the codes <paramref name="codes"/> makes (centre [G, z], partners [G, 3, z]), flat: latents, chunk masks and targets.</summary>
    private static (float[] Latents, float[] Masks, float[] Targets) Interpolations(InterpolationMode mode, int perGroup, Func<(Tensor Centre, Tensor Partners)> codes)
    {
        TorchRuntime.EnsureLoaded();
        var options = TrainerTests.TinyOptions(1);
        options.Architecture.LatentDimension = Layout.Dimension;
        options.Interpolation = mode;
        options.InterpolationsPerGroup = perGroup;
        using var scope = NewDisposeScope();
        using var network = new DeaeNetwork(options.Architecture, variational: false);
        using var generator = new Generator(3);
        using var objective = new DeaeObjective(network, Layout, options, CPU, generator);
        var (centre, partners) = codes();
        var (latents, mask, target) = objective.Interpolations(centre, partners);
        return (latents.data<float>().ToArray(), mask.data<float>().ToArray(), target.data<float>().ToArray());
    }

    [Theory]
    [InlineData(InterpolationMode.Linear)]
    [InlineData(InterpolationMode.PerDimensionUniform)]
    public void OnlyTheChosenChunkMovesAndItMovesTowardsAPartnerThatDiffersInIt(InterpolationMode mode)
    {
        var (latents, targets, attribute) = Interpolate(mode);
        int z = Layout.Dimension, spreadChunks = 0;
        Assert.All(targets, t => Assert.Equal(0f, t)); // the regulariser's target is C's code
        for (int g = 0; g < attribute.Length; g++)
        {
            var inChunk = Layout.Mask(attribute[g]);
            var row = latents[(g * z)..((g + 1) * z)];
            var chunk = row.Where((_, d) => inChunk[d] == 1).ToArray();
            Assert.All(row.Where((_, d) => inChunk[d] == 0), v => Assert.Equal(0f, v)); // every other chunk keeps C's code

            // Between C (0) and the partner (k + 1). P_3 shares attribute c with C, so c moves towards P_1
            // or P_2 only and never past 2; a and b may move towards P_3.
            float reach = attribute[g] == 2 ? 2f : 3f;
            Assert.All(chunk, v => Assert.InRange(v, 0f, reach));
            if (mode == InterpolationMode.Linear)
            {
                // One α for the chunk: every dimension moved the same fraction of the way.
                Assert.All(chunk, v => Assert.Equal(chunk[0], v, 5));
            }
            else if (chunk.Max() - chunk.Min() > 1e-3f)
            {
                spreadChunks++;
            }
        }

        if (mode == InterpolationMode.PerDimensionUniform)
        {
            // A fraction drawn per dimension: the chunk's dimensions differ (essentially always).
            Assert.True(spreadChunks > attribute.Length * 9 / 10, $"{spreadChunks} of {attribute.Length} chunks spread");
        }

        // Every attribute is interpolated in some group.
        Assert.Equal(3, attribute.Distinct().Count());
    }

    [Fact]
    public void SeveralInterpolationsPerGroupEachStartFromTheirOwnGroupsCentreAndPartners()
    {
        const int groups = 8;
        int z = Layout.Dimension;
        // Group g's centre is −(g + 1) everywhere and its partners 100 (g + 1) + k: a row taken from another
        // group, or a target from another group, cannot pass for its own.
        var (rows, masks, targets) = Interpolations(InterpolationMode.PerDimensionUniform, 3, () => (
            arange(1, groups + 1, dtype: float32).neg().view(groups, 1).expand(groups, z).contiguous(),
            ((arange(1, groups + 1, dtype: float32).view(groups, 1, 1) * 100) + arange(0, 3, dtype: float32).view(1, 3, 1)).expand(groups, 3, z).contiguous()));

        Assert.Equal(groups * 3 * z, rows.Length);
        for (int r = 0; r < groups * 3; r++)
        {
            float own = -(r / 3 + 1), farthest = (100 * (r / 3 + 1)) + 2;
            for (int d = 0; d < z; d++)
            {
                Assert.Equal(own, targets[(r * z) + d]);
                if (masks[(r * z) + d] == 0)
                {
                    Assert.Equal(own, rows[(r * z) + d]);
                }
                else
                {
                    Assert.InRange(rows[(r * z) + d], own, farthest);
                }
            }
        }
    }
}
