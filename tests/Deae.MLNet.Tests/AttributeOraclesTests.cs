using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class AttributeOraclesTests
{
    [Fact]
    public void OraclesReadEveryAttributeOfRealImages()
    {
        var data = TrainerTests.Tiny();
        var oracles = AttributeOracles.Fit(data);
        Assert.Equal(["letter", "size", "font_color", "background_color", "font"], oracles.RealImageAccuracy.Keys);
        Assert.All(oracles.RealImageAccuracy, a => Assert.True(a.Value >= 0.9, $"{a.Key}: {a.Value:P0} on held-out real images"));

        // A colour change does not fool the shape-based letter oracle.
        var images = Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToArray();
        var letters = oracles.Read("letter", images);
        int letter = data.AttributeIndex("letter");
        Assert.True(Enumerable.Range(0, data.Count).Average(i => letters[i] == data.GetValue(i, letter) ? 1.0 : 0.0) >= 0.9);
        // They still read the glyph over colours no image was rendered with (what half-way background interpolations draw).
        Assert.Equal(["letter", "size", "font_color", "font"], oracles.HalfwayBackgroundAccuracy.Keys);
        Assert.All(oracles.HalfwayBackgroundAccuracy, a => Assert.True(a.Value >= 0.9, $"{a.Key}: {a.Value:P0} on held-out images with a half-way background"));
        Assert.Contains("'shape'", Assert.Throws<ArgumentException>(() => oracles.Read("shape", images)).Message);
    }
}
