using Deae.MLNet.Data;
using Deae.MLNet.Data.Sprites;
using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class SpriteOracleTests
{
    // The generator's default values (3 shapes, 6 scales, 40 orientations, 32 positions), a seeded subset.
    private static readonly Lazy<ImageDataset> Sprites = new(() => SpritesGenerator.Generate(new SpritesOptions { MaxImages = 400, Seed = 5 }));

    private static readonly Lazy<SpriteOracle> Oracle = new(() => SpriteOracle.For(Sprites.Value));

    [Fact]
    public void ReadsEveryAttributeOfRealSprites()
    {
        var data = Sprites.Value;
        var shown = new int[5];
        for (int i = 0; i < data.Count; i++)
        {
            var reading = Oracle.Value.Read(data.GetPixels(i).ToArray());
            for (int a = 0; a < 5; a++)
            {
                shown[a] += Oracle.Value.Shows(data.Attributes[a].Name, reading, data.GetValue(i, a)) ? 1 : 0;
            }
        }

        for (int a = 0; a < 5; a++)
        {
            Assert.True(shown[a] >= 0.97 * data.Count, $"{data.Attributes[a].Name}: {shown[a]} of {data.Count} real sprites read right");
        }
    }

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(0.5, false)]
    [InlineData(0.6, true)]
    public void SoftAndFaintSpritesAreReadLikeTheOriginals(double brightness, bool blurred)
    {
        // Decoded images are soft and often fainter than white: neither may change what the oracle reads.
        var data = Sprites.Value;
        int same = 0, count = 100;
        for (int i = 0; i < count; i++)
        {
            var original = Oracle.Value.Read(data.GetPixels(i).ToArray());
            var pixels = blurred ? Blur(data.GetPixels(i), data.Width) : data.GetPixels(i).ToArray();
            var altered = Oracle.Value.Read(pixels.Select(p => (byte)Math.Round(p * brightness)).ToArray());
            same += Enumerable.Range(0, 5).All(a => Oracle.Value.Shows(data.Attributes[a].Name, altered, Oracle.Value.ValueOf(data.Attributes[a].Name, original))) ? 1 : 0;
        }

        Assert.True(same >= 0.95 * count, $"{same} of {count} sprites at brightness {brightness} (blurred: {blurred}) read as their originals");
    }

    [Fact]
    public void ChangingOneValueChangesOnlyThatReading()
    {
        var data = Sprites.Value;
        string[] labels = ["heart", "0.8", data.Attributes[2].Values[3], data.Attributes[3].Values[10], data.Attributes[4].Values[20]];
        string[] changed = ["ellipse", "0.5", data.Attributes[2].Values[7], data.Attributes[3].Values[25], data.Attributes[4].Values[2]];
        var before = Oracle.Value.Read(Render(labels, data.Width));
        Assert.All(Enumerable.Range(0, 5), a => Assert.True(Oracle.Value.Shows(data.Attributes[a].Name, before, labels[a]), data.Attributes[a].Name));
        for (int edited = 0; edited < 5; edited++)
        {
            var edit = (string[])labels.Clone();
            edit[edited] = changed[edited];
            var after = Oracle.Value.Read(Render(edit, data.Width));
            for (int a = 0; a < 5; a++)
            {
                Assert.True(Oracle.Value.Shows(data.Attributes[a].Name, after, edit[a]), $"after changing {data.Attributes[edited].Name}, {data.Attributes[a].Name} reads {Oracle.Value.ValueOf(data.Attributes[a].Name, after)}, not {edit[a]}");
            }

            Assert.False(Oracle.Value.Shows(data.Attributes[edited].Name, after, labels[edited]), data.Attributes[edited].Name);
        }
    }

    [Fact]
    public void AnImageChangedInPlaceIsReadAgain()
    {
        int size = Sprites.Value.Width;
        var buffer = Render(["square", "1", "0", "0.5", "0.5"], size);
        Assert.Equal("square", Oracle.Value.ValueOf("shape", Oracle.Value.Read(buffer)));
        Render(["heart", "1", "0", "0.5", "0.5"], size).CopyTo(buffer, 0);
        Assert.Equal("heart", Oracle.Value.ValueOf("shape", Oracle.Value.Read(buffer)));
    }

    [Fact]
    public void OrientationsThatAShapesSymmetryMakesIdenticalLookAlike()
    {
        var angles = Sprites.Value.Attributes[2].Values;
        Assert.True(Oracle.Value.LookAlike("square", angles[3], angles[13]));
        Assert.False(Oracle.Value.LookAlike("square", angles[3], angles[4]));
        Assert.True(Oracle.Value.LookAlike("ellipse", angles[3], angles[23]));
        Assert.False(Oracle.Value.LookAlike("ellipse", angles[3], angles[13]));
        Assert.False(Oracle.Value.LookAlike("heart", angles[3], angles[23]));
        Assert.True(Oracle.Value.LookAlike("heart", angles[3], angles[3]));

        // What the pixels show agrees: a square turned a quarter is read as showing the original orientation.
        var size = Sprites.Value.Width;
        var turned = Oracle.Value.Read(Render(["square", "1", angles[13], "0.5", "0.5"], size));
        Assert.True(Oracle.Value.Shows("orientation", turned, angles[3]));
        var heart = Oracle.Value.Read(Render(["heart", "1", angles[23], "0.5", "0.5"], size));
        Assert.False(Oracle.Value.Shows("orientation", heart, angles[3]));
    }

    [Fact]
    public void AttributeOraclesUseItForSpritesAndSwapPairsSkipLookAlikes()
    {
        var data = Sprites.Value;
        var oracles = AttributeOracles.Fit(data);
        Assert.All(oracles.RealImageAccuracy, a => Assert.True(a.Value >= 0.95, $"{a.Key}: {a.Value:P0} on held-out real sprites"));
        Assert.Empty(oracles.HalfwayBackgroundAccuracy); // sprites have no background colour to repaint

        int orientation = data.AttributeIndex("orientation"), shape = data.AttributeIndex("shape");
        var pairs = ModelEvaluator.Pairs(data, orientation, 300, new Random(3), (x, y) => oracles.LookAlike(data, orientation, x, y));
        Assert.DoesNotContain(pairs, p => Oracle.Value.LookAlike(data.GetValue(p.X, shape), data.GetValue(p.X, orientation), data.GetValue(p.Y, orientation)));
        Assert.Contains(pairs, p => data.GetValue(p.X, shape) == "square");
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var fonts = TrainerTests.Tiny();
        Assert.False(SpriteOracle.CanRead(fonts));
        Assert.Contains("shape, scale, orientation, pos_x, pos_y", Assert.Throws<ArgumentException>(() => SpriteOracle.For(fonts)).Message);
        Assert.Contains("64×64", Assert.Throws<ArgumentException>(() => Oracle.Value.Read(new byte[10])).Message);
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => Oracle.Value.Shows("colour", default, "1")).Message);
        Assert.Contains("'orientation'", Assert.Throws<ArgumentException>(() => Oracle.Value.LookAlike("square", "north", "0")).Message);
    }

    private static byte[] Render(string[] values, int size)
    {
        static double Number(string v) => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        return SpritesGenerator.Render(values[0], Number(values[1]), Number(values[2]), Number(values[3]), Number(values[4]), size);
    }

    private static byte[] Blur(ReadOnlySpan<byte> pixels, int size)
    {
        var result = new byte[pixels.Length];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int sum = 0, n = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int sx = x + dx, sy = y + dy;
                        if (sx >= 0 && sy >= 0 && sx < size && sy < size)
                        {
                            sum += pixels[(sy * size) + sx];
                            n++;
                        }
                    }
                }

                result[(y * size) + x] = (byte)(sum / n);
            }
        }

        return result;
    }
}
