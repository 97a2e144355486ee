using Deae.MLNet.Data;
using Deae.MLNet.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// The paper's bias-removal test (Section 3.4, Table 2): on a training set in which the label (letter) is
/// entangled with a bias attribute (background colour), train a convolutional classifier on the images (the
/// paper's ResNet-18, scaled down) and ML.NET classifiers on each model's latent codes — all chunks, all
/// chunks but the bias attribute's, the label's chunk alone and the bias chunk alone — and measure them with
/// ML.NET's multiclass metrics on an unbiased test set. A classifier that has learnt the bias as a shortcut fails on the test rows whose label never appeared with their bias value in training;
/// dropping a disentangled model's bias chunk takes the shortcut away.
/// </summary>
public static class BiasRemovalEvaluator
{
    /// <summary>Runs the test for one model with the paper's label (<c>letter</c>) and bias (<c>background_color</c>).</summary>
    /// <param name="train">The (biased) training set.</param>
    /// <param name="test">The unbiased test set.</param>
    /// <param name="model">A model with a chunk for the bias attribute (trained on <paramref name="train"/>, as in the paper).</param>
    public static BiasRemovalReport Evaluate(ImageDataset train, ImageDataset test, DeaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(train, test, [model], new BiasRemovalOptions());
    }

    /// <summary>Runs the test: the classifier on images, then each model's latent classifiers.</summary>
    /// <param name="train">The (biased) training set.</param>
    /// <param name="test">The unbiased test set, with the same attributes and image geometry.</param>
    /// <param name="models">Models with a chunk for the bias attribute (none: only the classifier on images).</param>
    /// <param name="options">Label and bias attributes, classifier settings.</param>
    /// <param name="modelNames">A name per model for the report (default: each model's kind).</param>
    /// <param name="progress">Told of each classifier's result as soon as it is scored (training the image classifier takes minutes on a CPU).</param>
    public static BiasRemovalReport Evaluate(
        ImageDataset train, ImageDataset test, IReadOnlyList<DeaeModel> models, BiasRemovalOptions options, IReadOnlyList<string>? modelNames = null, IProgress<BiasClassifierResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        if (modelNames is not null && modelNames.Count != models.Count)
        {
            throw new ArgumentException($"{modelNames.Count} names for {models.Count} models.", nameof(modelNames));
        }

        var encoders = models.Select((model, i) =>
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            var a = model.Architecture;
            string name = modelNames?[i] ?? model.Kind.ToString();
            if (a.ImageSize != train.Width || a.ImageSize != train.Height || a.Channels != train.Channels)
            {
                throw new ArgumentException($"Model '{name}' takes {a.Channels}x{a.ImageSize}x{a.ImageSize} images; the training set holds {train.Channels}x{train.Width}x{train.Height}.", nameof(models));
            }

            // DeaeModel.Encode runs the network in batches itself.
            return new LatentEncoder(name, model.Layout, data => model.Encode(Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToList()));
        }).ToList();
        return Evaluate(train, test, encoders, options, progress);
    }

    /// <summary>A model's name, latent layout and encoder (tests give codes with a known answer).</summary>
    /// <param name="Name">The name in the report.</param>
    /// <param name="Layout">Which dimensions belong to which attribute.</param>
    /// <param name="Encode">The code of every image of a set, in order.</param>
    internal sealed record LatentEncoder(string Name, LatentLayout Layout, Func<ImageDataset, float[][]> Encode);

    /// <summary>The test with the encoders as functions.</summary>
    internal static BiasRemovalReport Evaluate(ImageDataset train, ImageDataset test, IReadOnlyList<LatentEncoder> encoders, BiasRemovalOptions options, IProgress<BiasClassifierResult>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Iterations);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ImageClassifierSteps);
        if (options.ImageClassifierSteps > 0)
        {
            try
            {
                ConvolutionalLabelClassifier.Architecture(train, classes: 2);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"ImageClassifierSteps {options.ImageClassifierSteps}: {ex.Message} The training set holds {train.Width}x{train.Height} images; set it to 0 to leave the image classifier out.", nameof(options), ex);
            }
        }

        string label = options.LabelAttribute, bias = options.BiasAttribute;
        if (label == bias)
        {
            throw new ArgumentException($"The label and the bias are both '{label}': the test asks whether the label can be told without the bias.", nameof(options));
        }

        if (test.Width != train.Width || test.Height != train.Height || test.Channels != train.Channels)
        {
            throw new ArgumentException($"The test set holds {test.Channels}x{test.Width}x{test.Height} images; the training set {train.Channels}x{train.Width}x{train.Height}.", nameof(test));
        }

        var trainLabels = AttributeValues.Of(train, label, "training set");
        var trainBias = AttributeValues.Of(train, bias, "training set");
        var testLabels = AttributeValues.Of(test, label, "test set");
        var testBias = AttributeValues.Of(test, bias, "test set");
        var known = trainLabels.ToHashSet(StringComparer.Ordinal);
        if (testLabels.FirstOrDefault(l => !known.Contains(l)) is string newLabel)
        {
            throw new ArgumentException($"The test set has {label} '{newLabel}', which the training set never shows: no classifier can predict it.", nameof(test));
        }

        if (known.Count < 2)
        {
            throw new ArgumentException($"The training set shows one {label} ('{known.First()}'): a classifier needs at least two.", nameof(train));
        }

        if (encoders.Count == 0 && options.ImageClassifierSteps == 0)
        {
            throw new ArgumentException("No model and ImageClassifierSteps 0: there is no classifier to train; give a model or let the image classifier train.", nameof(options));
        }

        foreach (var encoder in encoders)
        {
            if (!encoder.Layout.Attributes.Contains(bias))
            {
                throw new ArgumentException($"Model '{encoder.Name}' has no chunk for the bias attribute '{bias}' (chunks: {string.Join(", ", encoder.Layout.Attributes)}).", nameof(encoders));
            }
        }

        var seen = trainLabels.Zip(trainBias).ToHashSet();
        var unseenRow = testLabels.Zip(testBias).Select(c => !seen.Contains(c)).ToArray();
        var ml = new MLContext(options.Seed);

        BiasClassifierResult Result(string? model, string features, int featureCount, MulticlassClassificationMetrics metrics, string[] predicted)
        {
            double? Accuracy(bool unseen)
            {
                var rows = Enumerable.Range(0, testLabels.Length).Where(i => unseenRow[i] == unseen).ToList();
                return rows.Count == 0 ? null : rows.Average(i => predicted[i] == testLabels[i] ? 1.0 : 0.0);
            }

            var result = new BiasClassifierResult(model, features, featureCount, metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, Accuracy(false), Accuracy(true));
            progress?.Report(result);
            return result;
        }

        BiasClassifierResult Classify(string? model, string features, float[][] trainX, float[][] testX)
        {
            var (metrics, predicted) = LabelClassifier.Fit(ml, trainX, trainLabels, normalise: true, options.Iterations).Evaluate(testX, testLabels);
            return Result(model, features, trainX[0].Length, metrics, predicted);
        }

        var results = new List<BiasClassifierResult>();
        if (options.ImageClassifierSteps > 0)
        {
            var (metrics, predicted) = ConvolutionalLabelClassifier.FitAndEvaluate(train, trainLabels, test, testLabels, options.ImageClassifierSteps, options.Seed, options.Device);
            results.Add(Result(null, "image CNN", train.Width * train.Height * train.Channels, metrics, predicted));
        }

        foreach (var encoder in encoders)
        {
            var trainCodes = encoder.Encode(train);
            var testCodes = encoder.Encode(test);
            var chunks = encoder.Layout.Attributes.ToList();
            var biasRange = encoder.Layout.Range(chunks.IndexOf(bias));
            float[][] Without(float[][] codes) => codes.Select(c => c[..biasRange.Start].Concat(c[biasRange.End..]).ToArray()).ToArray();
            float[][] Only(float[][] codes, Range range) => codes.Select(c => c[range]).ToArray();
            results.Add(Classify(encoder.Name, "latent", trainCodes, testCodes));
            if (encoder.Layout.Count > 1)
            {
                results.Add(Classify(encoder.Name, $"latent without {bias}", Without(trainCodes), Without(testCodes)));
            }

            // The label's own chunk alone: does it hold the label the same way whatever the bias value?
            if (chunks.IndexOf(label) is int labelChunk and >= 0)
            {
                var range = encoder.Layout.Range(labelChunk);
                results.Add(Classify(encoder.Name, $"{label} chunk", Only(trainCodes, range), Only(testCodes, range)));
            }

            results.Add(Classify(encoder.Name, $"{bias} chunk", Only(trainCodes, biasRange), Only(testCodes, biasRange)));
        }

        return new BiasRemovalReport(
            label, bias, train.Count, test.Count, Dependence(trainLabels, trainBias), Dependence(testLabels, testBias), unseenRow.Average(u => u ? 1.0 : 0.0), results);
    }

    /// <summary>Mutual information over the mean of the two entropies (sklearn's default normalisation); 0 when either is constant.</summary>
    private static double Dependence(string[] a, string[] b)
    {
        int[] Codes(string[] values)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            return values.Select(v => index.TryGetValue(v, out int k) ? k : index[v] = index.Count).ToArray();
        }

        int[] x = Codes(a), y = Codes(b);
        double entropies = DisentanglementMetrics.Entropy(x) + DisentanglementMetrics.Entropy(y);
        return entropies <= 0 ? 0 : 2 * DisentanglementMetrics.DiscreteMutualInformation(x, y) / entropies;
    }
}
