using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;

namespace Deae.MLNet.Tests;

public class UnseenValueEvaluatorTests
{
    private static readonly LatentLayout s_layout = new([("letter", 2), ("color", 2)]);
    private static readonly AttributeDefinition[] s_trainedOn = [new("letter", ["A", "B", "C"]), new("color", ["red", "blue", "green"])];

    /// <summary>Every letter with every colour, <paramref name="copies"/> times (1×1 grey images: only the labels matter here).</summary>
    private static ImageDataset Set(string[] colors, int copies = 4)
    {
        var attributes = new[] { s_trainedOn[0], new AttributeDefinition("color", colors) };
        var labels = (from copy in Enumerable.Range(0, copies) from l in Enumerable.Range(0, 3) from c in Enumerable.Range(0, colors.Length) select new[] { l, c }).ToArray();
        return new ImageDataset(1, 1, 1, attributes, labels.Select(_ => new byte[1]).ToArray(), labels);
    }

    /// <summary>
    /// An encoder whose letter chunk is a point per letter plus a little noise, and whose colour chunk follows
    /// the colour; <paramref name="lostOnUnseen"/>: images with colours outside the trained ones get a random
    /// letter chunk instead, as an encoder that has not learnt to ignore colours would.
    /// </summary>
    private static Func<ImageDataset, IReadOnlyList<int>, float[][]> Encoder(bool lostOnUnseen, float scale = 1f)
    {
        var random = new Random(5);
        float Noise(float size) => (float)((random.NextDouble() - 0.5) * size);
        return (data, indices) => indices.Select(i =>
        {
            int letter = data.GetLabel(i, 0);
            string color = data.GetValue(i, 1);
            bool seen = s_trainedOn[1].Values.Contains(color);
            float x = seen || !lostOnUnseen ? 3 * letter : Noise(12), y = seen || !lostOnUnseen ? -3 * letter : Noise(12);
            return new[] { x + Noise(0.2f), y + Noise(0.2f), color.Length, color[0] % 7 }.Select(v => v * scale).ToArray();
        }).ToArray();
    }

    [Fact]
    public void ALetterChunkThatIgnoresTheColoursStaysPutForUnseenColoursAndOneThatDoesNotDrifts()
    {
        var heldOut = Set(["red", "blue", "green"]);
        var unseen = Set(["pink", "cyan"]);

        var robust = UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, unseen, Encoder(lostOnUnseen: false), pairs: 500, seed: 1);
        Assert.Equal(["color"], robust.NovelAttributes);
        Assert.Equal(24, robust.UnseenImages); // every unseen image has held-out images with its letter
        var letter = Assert.Single(robust.Kept);
        Assert.Equal("letter", letter.Attribute);
        Assert.True(letter.SeenDrift < 0.01 && letter.UnseenDrift < 0.01, $"{letter}");
        Assert.Equal(1.0, letter.SeenChunkAccuracy);
        Assert.Equal(1.0, letter.UnseenChunkAccuracy);

        var lost = UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, unseen, Encoder(lostOnUnseen: true), pairs: 500, seed: 1).Kept[0];
        Assert.True(lost.SeenDrift < 0.01, $"{lost}");
        Assert.True(lost.UnseenDrift > 0.4, $"random letter chunks lie about as far as unrelated images: {lost}");
        Assert.True(lost.UnseenChunkAccuracy < 0.8, $"{lost}");
        Assert.True(lost.UnseenMse > 10 * lost.SeenMse, $"{lost}");
    }

    [Fact]
    public void DriftIsScaleFreeWhileTheRawMseGrowsWithTheCodes()
    {
        var heldOut = Set(["red", "blue", "green"]);
        var unseen = Set(["pink", "cyan"]);
        var small = UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, unseen, Encoder(lostOnUnseen: true), 500, 1);
        var large = UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, unseen, Encoder(lostOnUnseen: true, scale: 10f), 500, 1);
        Assert.Equal(small.UnseenDrift, large.UnseenDrift, 4);
        Assert.Equal(small.Kept[0].SeenDrift, large.Kept[0].SeenDrift, 4);
        Assert.Equal(100 * small.Kept[0].UnseenMse, large.Kept[0].UnseenMse, 1);
    }

    [Fact]
    public void ASetWithoutUnseenValuesOrWithoutAnAttributeIsRefusedNamingWhatIsWrong()
    {
        var heldOut = Set(["red", "blue", "green"]);
        var encoder = Encoder(lostOnUnseen: false);
        var nothingNew = Assert.Throws<ArgumentException>(() => UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, Set(["red"]), encoder, 500, 1));
        Assert.Contains("no value the model was not trained on", nothingNew.Message);

        var noColor = new ImageDataset(1, 1, 1, [s_trainedOn[0]], [new byte[1]], [[0]]);
        var missing = Assert.Throws<ArgumentException>(() => UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, noColor, encoder, 500, 1));
        Assert.Contains("no attribute 'color'", missing.Message);

        var allNew = new ImageDataset(1, 1, 1, [new AttributeDefinition("letter", ["Z"]), new AttributeDefinition("color", ["pink"])], [new byte[1]], [[0, 0]]);
        var none = Assert.Throws<ArgumentException>(() => UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, allNew, encoder, 500, 1));
        Assert.Contains("none is left to hold fixed", none.Message);

        var bigger = new ImageDataset(2, 2, 1, [s_trainedOn[0], new AttributeDefinition("color", ["pink"])], [new byte[4]], [[0, 0]]);
        Assert.Contains("1x2x2", Assert.Throws<ArgumentException>(() => UnseenValueEvaluator.Evaluate(s_layout, s_trainedOn, heldOut, bigger, encoder, 500, 1)).Message);
    }
}
