using Deae.MLNet.Model;

namespace Deae.MLNet.Tests;

public class LatentLayoutTests
{
    [Fact]
    public void EqualChunksCoverTheLatentInOrder()
    {
        var layout = LatentLayout.Equal(["letter", "size", "font_color", "background_color", "font"], 100);
        Assert.Equal([20, 20, 20, 20, 20], layout.Sizes);
        Assert.Equal(new Range(60, 80), layout.Range(layout.IndexOf("background_color")));
        Assert.Equal(20, layout.Mask(3).Count(v => v == 1f));
        Assert.Equal(1f, layout.Mask(3)[60]);
        Assert.Equal(0f, layout.Mask(3)[80]);
    }

    [Fact]
    public void AnySizesAreAllowedAndParsed()
    {
        var layout = LatentLayout.Parse("identity:60,background:20,pose:20", 100);
        Assert.Equal(60, layout.Offset(1));
        Assert.Equal("identity:60,background:20,pose:20", layout.ToString());
        Assert.Equal(layout, LatentLayout.Parse(layout.ToString(), null));
        var uneven = LatentLayout.Equal(["a", "b", "c"], 10);
        Assert.Equal([4, 3, 3], uneven.Sizes);
    }

    [Fact]
    public void ChunksThatDoNotSumToZAreAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentLayout.Parse("a:10,b:10", 30));
        Assert.Contains("20", error.Message);
        Assert.Contains("30", error.Message);
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => LatentLayout.Equal(["a"], 4).IndexOf("colour")).Message);
        Assert.Throws<ArgumentException>(() => new LatentLayout([("a", 2), ("a", 2)]));
        Assert.Throws<FormatException>(() => LatentLayout.Parse("a:2,b", 4));
    }
}
