using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class AugmentationEvaluatorTests
{
    private static readonly AttributeDefinition[] s_attributes = [new("letter", ["h", "v"]), new("background", ["dark", "light"])];

    /// <summary>
    /// 16×16 grey images. A "letter" is a bar, horizontal (h) or vertical (v), drawn when <paramref name="bars"/>;
    /// the background is dark or light. Without bars the letter shows only through the background it comes with.
    /// A <paramref name="mislabelled"/> set draws each letter's bar but gives it the other letter's label; without
    /// <paramref name="barsOnLight"/> only the dark images get bars.
    /// </summary>
    private static ImageDataset Set(IEnumerable<(int Letter, int Background)> rows, bool bars, bool mislabelled = false, bool barsOnLight = true)
    {
        var random = new Random(7);
        var list = rows.ToList();
        var pixels = list.Select(r =>
        {
            byte ground = r.Background == 0 ? (byte)30 : (byte)170;
            var image = Enumerable.Repeat(ground, 256).ToArray();
            if (bars && (r.Background == 0 || barsOnLight))
            {
                int at = random.Next(3, 13);
                for (int t = 1; t < 15; t++)
                {
                    image[r.Letter == 0 ? (at * 16) + t : (t * 16) + at] = (byte)(ground + 80);
                }
            }

            return image;
        }).ToArray();
        return new ImageDataset(16, 16, 1, s_attributes, pixels, list.Select(r => new[] { mislabelled ? 1 - r.Letter : r.Letter, r.Background }).ToArray());
    }

    private static IEnumerable<(int, int)> Rows(int copies, Func<int, int> background) =>
        Enumerable.Range(0, copies * 2).Select(i => (i % 2, background(i)));

    private static readonly AugmentationTestOptions s_options = new() { ClassifierSteps = 120, Repeats = 2, Device = "cpu" };

    // Eight small image classifiers: about 15 s on 2 cores without other load.
    [SlowFact]
    public void TestAccuracyFollowsWhatTheSynthesizedImagesAddAndTheirLabelsAreCheckedByTheJudge()
    {
        // The small set shows no bar: letter h only on dark, v only on light. The test set and the large set tell the
        // letter by its bar on either background; so do the "synthesized" images, and a second set labels them wrongly.
        var small = Set(Rows(40, i => i % 2), bars: false);
        var test = Set(Rows(60, i => (i / 2) % 2), bars: true);
        var large = Set(Rows(80, i => (i / 2) % 2), bars: true);
        var added = Set(Rows(60, i => (i / 2) % 2), bars: true);
        var swapped = Set(Rows(60, i => (i / 2) % 2), bars: true, mislabelled: true);

        var report = AugmentationEvaluator.Evaluate(small, test, [new SynthesizedSet("right", added), new SynthesizedSet("wrong", swapped)], s_options, large);

        Assert.Equal(("letter", 120, 2), (report.Label, report.TestRows, report.Repeats));
        Assert.Contains("large set", report.Judge);
        Assert.Equal(["large", "small", "small + right", "small + wrong"], report.TrainingSets.Select(s => s.Name));
        var sets = report.TrainingSets.ToDictionary(s => s.Name);
        Assert.Equal((80, 0, 120), (sets["small"].RealImages, sets["small"].SynthesizedImages, sets["small + right"].SynthesizedImages));
        Assert.All(report.TrainingSets, s => Assert.Equal(2, s.MicroAccuracies.Count));
        Assert.All(report.TrainingSets, s => Assert.Equal(s.MicroAccuracies.Average(), s.MicroAccuracy, 9));

        // Trained without bars, a classifier can only guess from the background: half the test set.
        Assert.InRange(sets["small"].MicroAccuracy, 0.3, 0.7);
        Assert.True(sets["small"].TrainingAccuracy > 0.95, $"{sets["small"]}");
        Assert.True(sets["large"].MicroAccuracy > 0.9, $"{sets["large"]}");
        Assert.True(sets["small + right"].MicroAccuracy > sets["small"].MicroAccuracy + 0.3, $"{sets["small + right"]} vs {sets["small"]}");
        Assert.True(sets["small + wrong"].MicroAccuracy < 0.3, $"{sets["small + wrong"]}");

        // The judge (trained on the large set) reads the right labels and catches the wrong ones.
        Assert.Null(sets["small"].SynthesizedLabelAgreement);
        Assert.True(sets["small + right"].SynthesizedLabelAgreement > 0.9, $"{sets["small + right"]}");
        Assert.True(sets["small + wrong"].SynthesizedLabelAgreement < 0.1, $"{sets["small + wrong"]}");
        Assert.All(report.TrainingSets, s => Assert.Empty(s.AccuracyByValue));
    }

    [Fact]
    public void TheBreakdownFindsTheValuesTheClassifierFailsOnAndThoseTheSmallSetNeverShowed()
    {
        // The small set is all dark with bars. Half the test set is light without bars: identical images, so one
        // prediction for all of them, right for exactly half (as many h as v); the dark half is read by its bars.
        var small = Set(Rows(40, _ => 0), bars: true);
        var test = Set(Rows(30, i => (i / 2) % 2), bars: true, barsOnLight: false);
        var options = new AugmentationTestOptions { ClassifierSteps = 120, Repeats = 1, Device = "cpu", BreakdownAttributes = ["background", "letter"] };

        var set = Assert.Single(AugmentationEvaluator.Evaluate(small, test, Array.Empty<SynthesizedSet>(), options).TrainingSets);

        Assert.Equal(
            [("background", "dark", 30, true), ("background", "light", 30, false), ("letter", "h", 30, true), ("letter", "v", 30, true)],
            set.AccuracyByValue.Select(v => (v.Attribute, v.Value, v.TestImages, v.InSmallSet)));
        var by = set.AccuracyByValue.ToDictionary(v => (v.Attribute, v.Value), v => v.Accuracy);
        Assert.True(by[("background", "dark")] > 0.9, $"{by[("background", "dark")]}");
        Assert.Equal(0.5, by[("background", "light")], 9);
        // Either split, weighted by its images, gives back the micro-accuracy.
        Assert.Equal(set.MicroAccuracy, (by[("background", "dark")] + by[("background", "light")]) / 2, 9);
        Assert.Equal(set.MicroAccuracy, (by[("letter", "h")] + by[("letter", "v")]) / 2, 9);

        var error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, test, Array.Empty<SynthesizedSet>(), new AugmentationTestOptions { BreakdownAttributes = ["font"] }));
        Assert.Contains("test set has no attribute 'font'", error.Message);
        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, test, Array.Empty<SynthesizedSet>(), new AugmentationTestOptions { BreakdownAttributes = ["letter", "letter"] }));
        Assert.Contains("'letter' twice", error.Message);
    }

    [Fact]
    public void RefusalsNameTheSetAndTheValueAtFault()
    {
        var small = Set(Rows(4, i => i % 2), bars: false);
        var onlyH = Set(Enumerable.Repeat((0, 0), 6), bars: false);
        var error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(onlyH, small, Array.Empty<SynthesizedSet>(), s_options));
        Assert.Contains("one letter ('h')", error.Message);

        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, small, Array.Empty<SynthesizedSet>(), new AugmentationTestOptions { LabelAttribute = "font", ClassifierSteps = 1 }));
        Assert.Contains("small set has no attribute 'font'", error.Message);

        var otherLetters = new ImageDataset(16, 16, 1, [new("letter", ["h", "x"]), s_attributes[1]], [new byte[256]], [[1, 0]]);
        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, small, [new SynthesizedSet("m", otherLetters)], s_options));
        Assert.Contains("images of 'm' have letter 'x'", error.Message);
        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, otherLetters, Array.Empty<SynthesizedSet>(), s_options));
        Assert.Contains("test set has letter 'x'", error.Message);

        var none = new ImageDataset(16, 16, 1, s_attributes, [], []);
        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, small, [new SynthesizedSet("empty", none)], s_options));
        Assert.Contains("images of 'empty' are none", error.Message);

        var tiny = new ImageDataset(8, 8, 1, s_attributes, [new byte[64], new byte[64]], [[0, 0], [1, 1]]);
        error = Assert.Throws<ArgumentException>(() => AugmentationEvaluator.Evaluate(small, tiny, Array.Empty<SynthesizedSet>(), s_options));
        Assert.Contains("test set holds 1x8x8 images", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationEvaluator.Evaluate(small, small, Array.Empty<SynthesizedSet>(), new AugmentationTestOptions { Repeats = 0 }));
    }
}
