using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class GroupSamplerTests
{
    private static ImageDataset Labels(int[][] labels, params int[] valueCounts)
    {
        var attributes = valueCounts.Select((n, a) => new AttributeDefinition($"a{a}", Enumerable.Range(0, n).Select(v => $"v{v}"))).ToList();
        return new ImageDataset(1, 1, 1, attributes, labels.Select(_ => new byte[1]).ToArray(), labels);
    }

    [Fact]
    public void PartnersShareTheirAttributeAndDifferInAllOthersOnFactorialData()
    {
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        var sampler = new GroupSampler(data, [0, 1, 2, 3, 4]);
        var indices = new int[20 * sampler.GroupSize];
        sampler.Sample(20, new Random(3), indices);
        for (int g = 0; g < 20; g++)
        {
            int centre = indices[g * 6];
            for (int k = 0; k < 5; k++)
            {
                int partner = indices[(g * 6) + 1 + k];
                Assert.Equal(data.GetLabel(centre, k), data.GetLabel(partner, k));
                int Differing(int other) => Enumerable.Range(0, 5).Count(j => j != k && data.GetLabel(centre, j) != data.GetLabel(other, j));
                int possible = Enumerable.Range(0, data.Count).Where(i => i != centre && data.GetLabel(i, k) == data.GetLabel(centre, k)).Max(Differing);
                Assert.Equal(possible, Differing(partner));
            }
        }
    }

    [Fact]
    public void SameSeedSameGroups()
    {
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        var sampler = new GroupSampler(data, [0, 3]);
        var a = new int[10 * 3];
        var b = new int[10 * 3];
        sampler.Sample(10, new Random(5), a);
        sampler.Sample(10, new Random(5), b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void NonFactorialDataAndSingleImageValuesAreHandled()
    {
        // Value v2 of attribute 0 has one image: its partner for attribute 0 is itself.
        int[][] labels = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 1]];
        var data = Labels(labels, 3, 2);
        var sampler = new GroupSampler(data, [0, 1]);
        var indices = new int[200 * 3];
        sampler.Sample(200, new Random(1), indices);
        Assert.Contains(4, Enumerable.Range(0, 200).Select(g => indices[g * 3])); // the single image is drawn as a centre
        for (int g = 0; g < 200; g++)
        {
            int centre = indices[g * 3];
            Assert.Equal(labels[centre][0], labels[indices[(g * 3) + 1]][0]);
            Assert.Equal(labels[centre][1], labels[indices[(g * 3) + 2]][1]);
            if (centre == 4)
            {
                Assert.Equal(4, indices[(g * 3) + 1]);
            }
        }
    }

    [Fact]
    public void AnAttributeWithOneValueIsNamed()
    {
        var data = Labels([[0, 0], [1, 0]], 2, 1);
        var error = Assert.Throws<ArgumentException>(() => new GroupSampler(data, [0, 1]));
        Assert.Contains("'a1'", error.Message);

        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => new GroupSampler(data, [0, 2]));
        Assert.Contains("Attribute index 2 is not one of the data's 2 attributes", outside.Message);
    }
}
