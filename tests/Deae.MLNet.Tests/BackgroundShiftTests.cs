using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class BackgroundShiftTests
{
    [Fact]
    public void RepaintingTheBackgroundDrawsWhatTheGeneratorRendersOverThatColour()
    {
        var data = FontsGenerator.Generate(new FontsOptions
        {
            Letters = "A",
            Sizes = ["large"],
            FontColors = ["blue"],
            BackgroundColors = ["orange", "cyan"],
            MaxFonts = 1,
            ImageSize = 32,
        });
        int column = data.AttributeIndex("background_color");
        byte[] Render(string background) => data.GetPixels(Enumerable.Range(0, data.Count).Single(i => data.GetValue(i, column) == background)).ToArray();
        var blue = NamedColor.Parse("blue", "test");
        var orange = NamedColor.Parse("orange", "test");
        var cyan = NamedColor.Parse("cyan", "test");
        var overOrange = Render("orange");

        // The glyph's antialiased edge is kept: all the way to cyan is the generator's own cyan rendering.
        var repainted = BackgroundShift.Move(overOrange, blue, orange, cyan, 1.0);
        var rendered = Render("cyan");
        static int MostApart(byte[] a, byte[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(MostApart(repainted, rendered) <= 3, $"repainted and rendered differ by {MostApart(repainted, rendered)}, more than rounding");
        Assert.True(MostApart(overOrange, BackgroundShift.Move(overOrange, blue, orange, cyan, 0.0)) <= 3, "not moving the background changed the image");

        // Half-way: the border is the mean of the two colours, the glyph's core pixels stay blue.
        var halfway = BackgroundShift.Move(overOrange, blue, orange, cyan, 0.5);
        var (r, g, b) = ColorOracle.BorderColor(halfway, 32, 32);
        Assert.Equal([(orange.R + cyan.R) / 2f, (orange.G + cyan.G) / 2f, (orange.B + cyan.B) / 2f], [r, g, b], new ToleranceComparer(1));
        Assert.Equal("blue", ColorOracle.Font(halfway, 32, 32).Name);
    }

    [Fact]
    public void AGlyphOverItsOwnColourIsRefused()
    {
        var red = NamedColor.Parse("red", "test");
        Assert.Contains("red", Assert.Throws<ArgumentException>(() => BackgroundShift.Move(new byte[12], red, red, red, 0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundShift.Move(new byte[12], red, NamedColor.Parse("cyan", "test"), red, 1.5));
    }
}
