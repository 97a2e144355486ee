using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;

namespace Deae.MLNet.Tests;

public class BiasRemovalEvaluatorTests
{
    private static readonly string[] s_letters = ["A", "B", "C", "D"];
    private static readonly string[] s_backgrounds = ["red", "blue", "green", "pink"];
    private static readonly LatentLayout s_layout = new([("letter", 4), ("background_color", 4)]);

    // 2×2 images: no convolutional classifier (the CLI test runs it on 16×16 images).
    private static readonly BiasRemovalOptions s_options = new() { ImageClassifierSteps = 0 };

    /// <summary>
    /// 2×2 images filled with their background's colour (only the encoder below reads them), labelled with
    /// a letter and a background. Biased: letter k always on background k. Unbiased: every pair equally often.
    /// </summary>
    private static ImageDataset Set(bool biased, int copies)
    {
        var attributes = new AttributeDefinition[] { new("letter", s_letters), new("background_color", s_backgrounds) };
        var labels = (from copy in Enumerable.Range(0, copies)
                      from l in Enumerable.Range(0, 4)
                      from b in Enumerable.Range(0, 4)
                      where !biased || l == b
                      select new[] { l, b }).ToArray();
        var pixels = labels.Select(l => Enumerable.Repeat(new byte[] { (byte)(60 * l[1]), (byte)(255 - (60 * l[1])), 128 }, 4).SelectMany(p => p).ToArray()).ToArray();
        return new ImageDataset(2, 2, 3, attributes, pixels, labels);
    }

    /// <summary>
    /// A disentangled encoder: the letter chunk is the letter's one-hot code under noise (a classifier on it
    /// alone is right about 90 % of the time), the background chunk the background's one-hot code, clean.
    /// On the biased set the clean background chunk is the easier way to tell the letter.
    /// </summary>
    private static BiasRemovalEvaluator.LatentEncoder Encoder()
    {
        var random = new Random(3);
        float Noise() => (float)(random.NextDouble() - 0.5) * 1.6f;
        return new("disentangled", s_layout, data => Enumerable.Range(0, data.Count).Select(i =>
        {
            var code = new float[8];
            code[data.GetLabel(i, 0)] = 1;
            code[4 + data.GetLabel(i, 1)] = 1;
            for (int d = 0; d < 4; d++)
            {
                code[d] += Noise();
            }

            return code;
        }).ToArray());
    }

    [Fact]
    public void DroppingTheBiasChunkRestoresTheLabelOnTestRowsWhoseCombinationTrainingNeverShowed()
    {
        var report = BiasRemovalEvaluator.Evaluate(Set(biased: true, copies: 40), Set(biased: false, copies: 10), [Encoder()], s_options);

        Assert.Equal(("letter", "background_color", 160, 160), (report.Label, report.Bias, report.TrainRows, report.TestRows));
        Assert.Equal(1.0, report.TrainDependence, 6); // the letter determines the background in training
        Assert.Equal(0.0, report.TestDependence, 6);
        Assert.Equal(0.75, report.UnseenCombinationShare, 6);
        Assert.Equal(["latent", "latent without background_color", "letter chunk", "background_color chunk"], report.Classifiers.Select(c => c.Features));
        Assert.Equal([8, 4, 4, 4], report.Classifiers.Select(c => c.FeatureCount));
        var byFeatures = report.Classifiers.ToDictionary(c => c.Features);

        // The bias chunk shows only the background: right on the combinations training showed, wrong on the rest.
        var shortcut = byFeatures["background_color chunk"];
        Assert.Equal(1.0, shortcut.SeenCombinationAccuracy!.Value, 6);
        Assert.Equal(0.0, shortcut.UnseenCombinationAccuracy!.Value, 6);
        Assert.Equal(0.25, shortcut.MicroAccuracy, 6);

        // With every chunk, the classifier leans on the clean background chunk and fails where the bias breaks.
        var all = byFeatures["latent"];
        var unbiased = byFeatures["latent without background_color"];
        Assert.True(all.UnseenCombinationAccuracy < 0.5, $"{all}");
        Assert.True(unbiased.UnseenCombinationAccuracy > 0.8, $"{unbiased}");
        Assert.True(unbiased.MicroAccuracy > all.MicroAccuracy + 0.3, $"{unbiased} vs {all}");
        // Here the letter chunk is all that is left once the background's is dropped (the same features, another SDCA shuffle).
        Assert.InRange(byFeatures["letter chunk"].UnseenCombinationAccuracy!.Value - unbiased.UnseenCombinationAccuracy!.Value, -0.05, 0.05);
        // Without the shortcut, seen and unseen combinations are alike: the label chunk does not know the background.
        Assert.InRange(unbiased.SeenCombinationAccuracy!.Value - unbiased.UnseenCombinationAccuracy!.Value, -0.15, 0.15);
        Assert.True(unbiased.MacroAccuracy > 0.8 && unbiased.LogLoss < all.LogLoss, $"{unbiased} vs {all}");
        Assert.All(report.Classifiers, c => Assert.Equal("disentangled", c.Model));
    }

    [Fact]
    public void AnUnbiasedTrainingSetLeavesNoCombinationUnseen()
    {
        var report = BiasRemovalEvaluator.Evaluate(Set(biased: false, copies: 10), Set(biased: false, copies: 5), [Encoder()], s_options);
        Assert.Equal(0.0, report.UnseenCombinationShare);
        Assert.All(report.Classifiers, c => Assert.Null(c.UnseenCombinationAccuracy));
        Assert.Equal(0.0, report.TrainDependence, 6);
    }

    [Fact]
    public void WrongAttributesLabelsOrLayoutsAreRefusedNamingThem()
    {
        var train = Set(biased: true, copies: 2);
        var test = Set(biased: false, copies: 1);
        var encoders = new[] { Encoder() };

        var same = Assert.Throws<ArgumentException>(() => BiasRemovalEvaluator.Evaluate(train, test, encoders, new BiasRemovalOptions { BiasAttribute = "letter", ImageClassifierSteps = 0 }));
        Assert.Contains("both 'letter'", same.Message);

        var missing = Assert.Throws<ArgumentException>(() => BiasRemovalEvaluator.Evaluate(train, test, encoders, new BiasRemovalOptions { BiasAttribute = "font", ImageClassifierSteps = 0 }));
        Assert.Contains("no attribute 'font'", missing.Message);
        Assert.Contains("letter, background_color", missing.Message);

        var noChunk = new BiasRemovalEvaluator.LatentEncoder("letters only", new LatentLayout([("letter", 8)]), encoders[0].Encode);
        var chunk = Assert.Throws<ArgumentException>(() => BiasRemovalEvaluator.Evaluate(train, test, [noChunk], s_options));
        Assert.Contains("'letters only' has no chunk for the bias attribute 'background_color'", chunk.Message);

        // Training shows only A and B: the test's C cannot be predicted.
        var twoLetters = train.Subset(Enumerable.Range(0, train.Count).Where(i => train.GetLabel(i, 0) < 2).ToList());
        var unknown = Assert.Throws<ArgumentException>(() => BiasRemovalEvaluator.Evaluate(twoLetters, test, encoders, s_options));
        Assert.Contains("letter 'C'", unknown.Message);

        var tooSmall = Assert.Throws<ArgumentException>(() => BiasRemovalEvaluator.Evaluate(train, test, encoders, new BiasRemovalOptions()));
        Assert.Contains("ImageClassifierSteps 1000", tooSmall.Message);
        Assert.Contains("2x2", tooSmall.Message);
    }
}
