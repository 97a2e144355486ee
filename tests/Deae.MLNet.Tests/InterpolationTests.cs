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
    /// <summary>
    /// Interpolations of 64 groups with 3 attributes (chunks of 4, 3 and 3 dimensions): C's code is 0 and
    /// partner P_k's code is k + 1 in every dimension, so a value v in chunk a means "moved v / (k + 1) of
    /// the way towards P_k". Returns the latents [64, 10] and the interpolated attribute of each row.
    /// </summary>
    private static (float[,] Latents, int[] Attribute, float[,] Target) Interpolate(InterpolationMode mode)
    {
        TorchRuntime.EnsureLoaded();
        var layout = new LatentLayout([("a", 4), ("b", 3), ("c", 3)]);
        var options = TrainerTests.TinyOptions(1);
        options.Architecture.LatentDimension = layout.Dimension;
        options.Interpolation = mode;
        using var scope = NewDisposeScope();
        using var network = new DeaeNetwork(options.Architecture, variational: false);
        var objective = new DeaeObjective(network, layout, options, CPU, new Generator(3));
        const int groups = 64;
        var centre = zeros(groups, layout.Dimension);
        var partners = arange(1, 4, dtype: float32).view(1, 3, 1).expand(groups, 3, layout.Dimension).contiguous();
        var (latents, mask, target) = objective.Interpolations(centre, partners);

        var rows = latents.data<float>().ToArray();
        var masks = mask.data<float>().ToArray();
        var targets = target.data<float>().ToArray();
        var result = new float[groups, layout.Dimension];
        var expected = new float[groups, layout.Dimension];
        var attribute = new int[groups];
        for (int g = 0; g < groups; g++)
        {
            attribute[g] = Enumerable.Range(0, layout.Count).Single(k => layout.Mask(k).Select((v, d) => v == masks[(g * layout.Dimension) + d]).All(x => x));
            for (int d = 0; d < layout.Dimension; d++)
            {
                result[g, d] = rows[(g * layout.Dimension) + d];
                expected[g, d] = targets[(g * layout.Dimension) + d];
            }
        }

        return (result, attribute, expected);
    }

    [Theory]
    [InlineData(InterpolationMode.Linear)]
    [InlineData(InterpolationMode.PerDimensionUniform)]
    public void OnlyTheChosenChunkMovesAndItMovesTowardsAPartnerThatDiffersInIt(InterpolationMode mode)
    {
        var layout = new LatentLayout([("a", 4), ("b", 3), ("c", 3)]);
        var (latents, attribute, target) = Interpolate(mode);
        int spreadChunks = 0;
        for (int g = 0; g < attribute.Length; g++)
        {
            var range = layout.Range(attribute[g]);
            var chunk = Enumerable.Range(range.Start.Value, range.End.Value - range.Start.Value).Select(d => latents[g, d]).ToArray();
            for (int d = 0; d < layout.Dimension; d++)
            {
                Assert.Equal(0f, target[g, d]); // the regulariser's target is C's code
                if (d < range.Start.Value || d >= range.End.Value)
                {
                    Assert.Equal(0f, latents[g, d]); // every other chunk keeps C's code
                }
            }

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
}
