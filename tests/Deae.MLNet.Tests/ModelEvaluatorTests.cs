using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

/// <summary>Known answers for the measures <see cref="ModelEvaluator"/> reports on decoded images.</summary>
public class ModelEvaluatorTests
{
    /// <summary>
    /// Half-way background interpolations drawn by hand from real images X: X itself (no edit), X's background
    /// repainted uniformly half-way to Y's (the one well-formed edit), the same with a stripe of the border in
    /// black (not uniform), and the same with the letter recoloured (the font colour changed). One in four is valid.
    /// With a letter chunk, another letter repainted the same way fails on the letter alone.
    /// </summary>
    [Fact]
    public void InterpolationValidityCountsOnlyRealUniformEditsThatKeepTheFontColourAndLetter()
    {
        var data = TrainerTests.Tiny();
        var oracles = AttributeOracles.Fit(data);
        int bg = data.AttributeIndex("background_color"), fc = data.AttributeIndex("font_color");
        var xs = Enumerable.Range(0, data.Count).Where(i => data.GetValue(i, bg) == "silver" && data.GetValue(i, fc) == "red").Take(3).ToList();
        int y = Enumerable.Range(0, data.Count).First(i => data.GetValue(i, bg) == "cyan");
        NamedColor silver = NamedColor.Parse("silver", "test"), cyan = NamedColor.Parse("cyan", "test"), blue = NamedColor.Parse("blue", "test");
        var half = new NamedColor("half", (byte)((silver.R + cyan.R) / 2), (byte)((silver.G + cyan.G) / 2), (byte)((silver.B + cyan.B) / 2));

        var pairs = new List<(int X, int Y)>();
        var images = new List<byte[]>();
        foreach (int x in xs)
        {
            var original = data.GetPixels(x).ToArray();
            var repainted = Recolour(original, p => Is(original, p, silver), half);
            var striped = Recolour(repainted, p => p < 16, new NamedColor("black", 0, 0, 0));
            var letterRecoloured = Recolour(repainted, p => InGlyph(original, p, silver), blue);
            foreach (var image in new[] { original, repainted, striped, letterRecoloured })
            {
                pairs.Add((x, y));
                images.Add(image);
            }
        }

        // Without a letter chunk the letter is not judged, so the answer depends on pixels only.
        var layout = LatentLayout.Parse("font_color:5,background_color:5", null);
        // Pair by pair: only the repainted image (the second of each four) is valid; validity is their mean, 0.25.
        var checks = ModelEvaluator.CheckPairs(oracles, data, layout, pairs, [.. images]);
        Assert.Equal(pairs.Select((_, n) => n % 4 == 1), checks.Select(c => c.Valid));

        // Each invalid image fails the check it was drawn to fail: no edit, a striped border, a recoloured letter. The black
        // stripe also fails the font colour, since its pixels are the farthest from the background, where the font colour is read.
        Assert.Equal(new ValidityFailures(0.25, 0.25, 0.5, 0), ValidityFailures.Of(checks));
        Assert.Equal(new ValidityCheck(false, true, true, true), checks[0]);
        Assert.Equal(new ValidityCheck(true, false, false, true), checks[2]);
        Assert.Equal(new ValidityCheck(true, true, false, true), checks[3]);

        // With a letter chunk the letter is judged too: X's own repainted image keeps it; the repainted image of
        // another letter (same colours) in its place is well formed but shows the wrong letter.
        int letter = data.AttributeIndex("letter"), x0 = xs[0];
        int otherLetter = Enumerable.Range(0, data.Count).First(i => data.GetValue(i, bg) == "silver" && data.GetValue(i, fc) == "red" && data.GetValue(i, letter) != data.GetValue(x0, letter));
        var otherOriginal = data.GetPixels(otherLetter).ToArray();
        var otherRepainted = Recolour(otherOriginal, p => Is(otherOriginal, p, silver), half);
        var withLetter = LatentLayout.Parse("letter:4,font_color:3,background_color:3", null);
        var letterChecks = ModelEvaluator.CheckPairs(oracles, data, withLetter, [(x0, y), (x0, y)], [images[1], otherRepainted]);
        Assert.Equal(new ValidityCheck(true, true, true, true), letterChecks[0]);
        Assert.Equal(new ValidityCheck(true, true, true, false), letterChecks[1]);
    }

    /// <summary>
    /// Background swaps drawn by hand from real images X (silver background, red letter) towards a cyan donor: X
    /// with its background exactly cyan (a perfect swap), the same with the letter painted blue (the font colour not
    /// kept), and another letter painted the same way (the letter not kept). Every one shows the donor's background.
    /// </summary>
    [Fact]
    public void SwapRatesCountTheTargetAndEveryOtherAttributeAsTheOraclesReadThem()
    {
        var data = TrainerTests.Tiny();
        var oracles = AttributeOracles.Fit(data);
        int bg = data.AttributeIndex("background_color"), fc = data.AttributeIndex("font_color"), letter = data.AttributeIndex("letter");
        bool SilverRed(int i) => data.GetValue(i, bg) == "silver" && data.GetValue(i, fc) == "red";
        var xs = Enumerable.Range(0, data.Count).Where(SilverRed).Take(2).ToList();
        int y = Enumerable.Range(0, data.Count).First(i => data.GetValue(i, bg) == "cyan");
        NamedColor silver = NamedColor.Parse("silver", "test"), cyan = NamedColor.Parse("cyan", "test"), red = NamedColor.Parse("red", "test"), blue = NamedColor.Parse("blue", "test");
        byte[] Swapped(int i) => BackgroundShift.Move(data.GetPixels(i), red, silver, cyan, 1.0);

        var pairs = new List<(int X, int Y)>();
        var images = new List<byte[]>();
        foreach (int x in xs)
        {
            var swapped = Swapped(x);
            int otherLetter = Enumerable.Range(0, data.Count).First(i => SilverRed(i) && data.GetValue(i, letter) != data.GetValue(x, letter));
            var letterBlue = Recolour(swapped, p => InGlyph(swapped, p, cyan), blue);
            foreach (var image in new[] { swapped, letterBlue, Swapped(otherLetter) })
            {
                pairs.Add((x, y));
                images.Add(image);
            }
        }

        var layout = LatentLayout.Parse("letter:4,font_color:3,background_color:3", null);
        var columns = layout.Attributes.Select(data.AttributeIndex).ToArray();
        Assert.All(oracles.Shows("background_color", [.. images], [.. pairs.Select(_ => "cyan")]), Assert.True); // every target hit
        var (all, byAttribute) = ModelEvaluator.OthersKept(oracles, data, layout, columns, layout.IndexOf("background_color"), pairs, [.. images]);
        Assert.Equal(1.0 / 3, all, 6); // only the perfect swaps keep both
        Assert.Equal(["font_color", "letter"], byAttribute.Keys.Order());
        Assert.Equal(2.0 / 3, byAttribute["font_color"], 6);
        Assert.Equal(2.0 / 3, byAttribute["letter"], 6);
    }

    [Fact]
    public void TheResidualIsTheMeanL1OfTheReencodedCodeOnTheChunksThatWereNotEdited()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var images = Enumerable.Range(0, 6).Select(i => data.GetPixels(i * 7).ToArray()).ToArray();
        var codes = model.Encode(images);
        var edited = model.Layout.Range(model.Layout.IndexOf("background_color"));
        List<float[]> Shifted(Func<int, bool> where, float by) => codes.Select(c => c.Select((v, d) => where(d) ? v + by : v).ToArray()).ToList();
        bool InEdited(int d) => d >= edited.Start.Value && d < edited.End.Value;

        // The intended code is what the images re-encode to: no residual, whatever the edited chunk says.
        Assert.Equal(0, ModelEvaluator.Residual(model, images, Shifted(_ => false, 0), edited), 6);
        Assert.Equal(0, ModelEvaluator.Residual(model, images, Shifted(InEdited, 3), edited), 6);
        // Every other dimension off by 0.5: a residual of 0.5.
        Assert.Equal(0.5, ModelEvaluator.Residual(model, images, Shifted(d => !InEdited(d), 0.5f), edited), 5);
    }

    private static bool Is(byte[] rgb, int pixel, NamedColor color) =>
        rgb[3 * pixel] == color.R && rgb[(3 * pixel) + 1] == color.G && rgb[(3 * pixel) + 2] == color.B;

    /// <summary>Whether the pixel is far (over 120 RGB units) from the image's <paramref name="background"/>: part of the letter.</summary>
    private static bool InGlyph(byte[] rgb, int pixel, NamedColor background) =>
        NamedColor.DistanceSquared(background, rgb[3 * pixel], rgb[(3 * pixel) + 1], rgb[(3 * pixel) + 2]) > 120 * 120;

    /// <summary>A copy of <paramref name="rgb"/> with the pixels <paramref name="where"/> chooses painted <paramref name="color"/>.</summary>
    private static byte[] Recolour(byte[] rgb, Func<int, bool> where, NamedColor color)
    {
        var copy = (byte[])rgb.Clone();
        for (int p = 0; p < rgb.Length / 3; p++)
        {
            if (where(p))
            {
                (copy[3 * p], copy[(3 * p) + 1], copy[(3 * p) + 2]) = (color.R, color.G, color.B);
            }
        }

        return copy;
    }
}
