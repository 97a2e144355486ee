using Deae.MLNet.Data;
using Deae.MLNet.Data.Sprites;

namespace Deae.MLNet.Tests;

public class SpritesGeneratorTests
{
    private static SpritesOptions Small() => new() { ScaleCount = 3, OrientationCount = 8, PositionCount = 4, MaxImages = null };

    [Fact]
    public void FullFactorialSetHasEveryCombinationOnce()
    {
        var data = SpritesGenerator.Generate(Small());
        Assert.Equal(3 * 3 * 8 * 4 * 4, data.Count);
        var keys = Enumerable.Range(0, data.Count).Select(i => string.Join('|', Enumerable.Range(0, 5).Select(a => data.GetLabel(i, a)))).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(1, data.Channels);
        Assert.Equal(64, data.Width);
    }

    [Fact]
    public void OrientationsCoverZeroToTwoPiWithoutRepeatingZero()
    {
        var attributes = SpritesGenerator.Attributes(new SpritesOptions());
        var orientations = attributes[2].Values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(40, orientations.Count);
        Assert.Equal(0, orientations[0]);
        Assert.True(orientations[^1] < 2 * Math.PI - 0.1);
        Assert.Equal(["0.5", "0.6", "0.7", "0.8", "0.9", "1"], attributes[1].Values);
        Assert.Equal(32, attributes[3].Values.Count);
    }

    [Fact]
    public void ShapesStayInsideTheFrameAndAreBinary()
    {
        var options = new SpritesOptions { ScaleCount = 2, OrientationCount = 10, PositionCount = 2, MaxImages = null };
        var data = SpritesGenerator.Generate(options);
        for (int i = 0; i < data.Count; i++)
        {
            var pixels = data.GetPixels(i);
            Assert.All(pixels.ToArray(), p => Assert.True(p is 0 or 255));
            Assert.Contains((byte)255, pixels.ToArray());
            for (int k = 0; k < 64; k++)
            {
                Assert.Equal(0, pixels[k]);
                Assert.Equal(0, pixels[(63 * 64) + k]);
                Assert.Equal(0, pixels[k * 64]);
                Assert.Equal(0, pixels[(k * 64) + 63]);
            }
        }
    }

    [Fact]
    public void EachAttributeMovesThePixels()
    {
        var data = SpritesGenerator.Generate(Small());
        static (double X, double Y, int Area) Moments(ReadOnlySpan<byte> p)
        {
            double sx = 0, sy = 0;
            int n = 0;
            for (int i = 0; i < p.Length; i++)
            {
                if (p[i] != 0)
                {
                    sx += i % 64;
                    sy += i / 64;
                    n++;
                }
            }

            return (sx / n, sy / n, n);
        }

        int Find(params int[] label) => Enumerable.Range(0, data.Count).First(i => Enumerable.Range(0, 5).All(a => data.GetLabel(i, a) == label[a]));
        var baseline = Moments(data.GetPixels(Find(0, 0, 0, 0, 0)));
        Assert.True(Moments(data.GetPixels(Find(0, 2, 0, 0, 0))).Area > baseline.Area * 2); // scale 1 vs 0.5: 4x the area
        Assert.True(Moments(data.GetPixels(Find(0, 0, 0, 3, 0))).X > baseline.X + 20); // x position
        Assert.True(Moments(data.GetPixels(Find(0, 0, 0, 0, 3))).Y > baseline.Y + 20); // y position
        Assert.False(data.GetPixels(Find(0, 2, 0, 0, 0)).SequenceEqual(data.GetPixels(Find(0, 2, 1, 0, 0)))); // a square rotated by 45 degrees
        Assert.False(data.GetPixels(Find(0, 2, 0, 0, 0)).SequenceEqual(data.GetPixels(Find(2, 2, 0, 0, 0)))); // square vs heart
    }

    [Fact]
    public void SubsetsAreSeededAndDeterministic()
    {
        var options = new SpritesOptions { MaxImages = 50 };
        var a = SpritesGenerator.Generate(options);
        var b = SpritesGenerator.Generate(options);
        Assert.Equal(50, a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(a.GetPixels(i).SequenceEqual(b.GetPixels(i)));
        }
    }

    [Fact]
    public void BadOptionsNameTheOption()
    {
        Assert.Contains("--shapes", Assert.Throws<OptionException>(() => SpritesGenerator.Attributes(new SpritesOptions { Shapes = ["triangle"] })).Message);
        Assert.Contains("--scales", Assert.Throws<OptionException>(() => SpritesGenerator.Attributes(new SpritesOptions { ScaleCount = 0 })).Message);
        Assert.Contains("--max-images", Assert.Throws<OptionException>(() => SpritesGenerator.Generate(new SpritesOptions { MaxImages = -1 })).Message);
    }
}
