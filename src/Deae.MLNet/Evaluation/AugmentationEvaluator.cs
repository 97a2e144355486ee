using Deae.MLNet.Data;
using Deae.MLNet.Exploration;
using Deae.MLNet.Model;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// The paper's augmentation test (Section 3.4, Table 1): does adding a model's synthesized images to a small
/// training set help a label classifier on a test set whose attribute values the small set lacks? A
/// convolutional classifier on images (the paper's ResNet-18, scaled down) is trained on the small set, on the
/// small set plus each model's synthesized images (attribute recombinations and interpolations that keep the
/// label's chunk a seen value, <see cref="Augmenter"/>) and, for reference, on a large set; each is scored
/// with ML.NET's multiclass metrics on the test set, several seeds per set.
/// </summary>
public static class AugmentationEvaluator
{
    /// <summary>Runs the test for one model with the paper's label (<c>letter</c>) and 1000 synthesized images.</summary>
    /// <param name="small">The small training set (the model was trained on it, as in the paper).</param>
    /// <param name="test">The test set.</param>
    /// <param name="model">A model with a chunk for the label attribute.</param>
    public static AugmentationReport Evaluate(ImageDataset small, ImageDataset test, DeaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(small, test, [model], new AugmentationTestOptions());
    }

    /// <summary>Synthesizes each model's images from <paramref name="small"/>, then runs the test.</summary>
    /// <param name="small">The small training set.</param>
    /// <param name="test">The test set (the same image geometry; its labels all occur in <paramref name="small"/>).</param>
    /// <param name="models">Models with a chunk for the label attribute (none: only the real sets are compared).</param>
    /// <param name="options">Label, number of images, classifier settings.</param>
    /// <param name="modelNames">A name per model for the report (default: each model's kind).</param>
    /// <param name="large">A large reference training set (the paper's D_L), or null.</param>
    /// <param name="progress">Told of each training set's result as soon as its classifiers are scored (minutes each on a CPU).</param>
    public static AugmentationReport Evaluate(
        ImageDataset small, ImageDataset test, IReadOnlyList<DeaeModel> models, AugmentationTestOptions options, IReadOnlyList<string>? modelNames = null, ImageDataset? large = null, IProgress<AugmentedTrainingSet>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (modelNames is not null && modelNames.Count != models.Count)
        {
            throw new ArgumentException($"{modelNames.Count} names for {models.Count} models.", nameof(modelNames));
        }

        var synthesized = models.Select((model, i) => Synthesize(model, small, options, modelNames?[i])).ToList();
        return Evaluate(small, test, synthesized, options, large, progress);
    }

    /// <summary>
    /// <paramref name="model"/>'s images for the test: <see cref="AugmentationTestOptions.SynthesizedImages"/>
    /// recombinations and interpolations of <paramref name="small"/>'s codes in which the label's chunk is always
    /// a seen value (so the label is exact) and every other attribute may be a mix of two seen values.
    /// </summary>
    /// <param name="model">A model with a chunk for the label attribute, for <paramref name="small"/>'s images.</param>
    /// <param name="small">The small training set.</param>
    /// <param name="options">Label, number of images, mixing probability and seed.</param>
    /// <param name="name">The model's name in the report (default: its kind).</param>
    public static SynthesizedSet Synthesize(DeaeModel model, ImageDataset small, AugmentationTestOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(small);
        ArgumentNullException.ThrowIfNull(options);
        name ??= model.Kind.ToString();
        if (!model.Layout.Attributes.Contains(options.LabelAttribute))
        {
            throw new ArgumentException($"Model '{name}' has no chunk for the label attribute '{options.LabelAttribute}' (chunks: {string.Join(", ", model.Layout.Attributes)}): its images could not be labelled.", nameof(model));
        }

        var a = model.Architecture;
        if (a.ImageSize != small.Width || a.ImageSize != small.Height || a.Channels != small.Channels)
        {
            throw new ArgumentException($"Model '{name}' takes {a.Channels}x{a.ImageSize}x{a.ImageSize} images; the small set holds {small.Channels}x{small.Width}x{small.Height}.", nameof(model));
        }

        var augmentation = new AugmentationOptions
        {
            Count = options.SynthesizedImages,
            Seed = options.Seed,
            Interpolation = options.Interpolation,
            SeenValuesOnly = [options.LabelAttribute],
        };
        return new SynthesizedSet(name, Augmenter.Generate(model, small, augmentation).Images);
    }

    /// <summary>Runs the test on images already synthesized.</summary>
    /// <param name="small">The small training set.</param>
    /// <param name="test">The test set (the same image geometry; its labels all occur in <paramref name="small"/>).</param>
    /// <param name="synthesized">Per model, the images to add to the small set (labels among the small set's).</param>
    /// <param name="options">Label and classifier settings (the synthesis settings are not used here).</param>
    /// <param name="large">A large reference training set (the paper's D_L), or null.</param>
    /// <param name="progress">Told of each training set's result as soon as its classifiers are scored.</param>
    public static AugmentationReport Evaluate(
        ImageDataset small, ImageDataset test, IReadOnlyList<SynthesizedSet> synthesized, AugmentationTestOptions options, ImageDataset? large = null, IProgress<AugmentedTrainingSet>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(small);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(synthesized);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ClassifierSteps, "options.ClassifierSteps");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Repeats, "options.Repeats");
        try
        {
            ConvolutionalLabelClassifier.Architecture(small, classes: 2);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{ex.Message} The small set holds {small.Width}x{small.Height} images, which the test's image classifier cannot take.", nameof(small), ex);
        }

        string label = options.LabelAttribute;
        var smallLabels = Labels(small, label, "small set", small);
        var known = smallLabels.ToHashSet(StringComparer.Ordinal);
        if (known.Count < 2)
        {
            throw new ArgumentException($"The small set shows one {label} ('{known.First()}'): a classifier needs at least two.", nameof(small));
        }

        var testLabels = Labels(test, label, "test set", small);
        if (testLabels.FirstOrDefault(l => !known.Contains(l)) is string newLabel)
        {
            throw new ArgumentException($"The test set has {label} '{newLabel}', which the small set never shows: no classifier trained on it can predict it.", nameof(test));
        }

        var breakdown = Breakdown(options.BreakdownAttributes, small, test);
        var parts = new List<(string Name, string? Model, ImageDataset Real, string[] RealLabels, ImageDataset? Added, string[] AddedLabels)>();
        if (large is not null)
        {
            var largeLabels = Labels(large, label, "large set", small);
            if (testLabels.FirstOrDefault(l => !largeLabels.Contains(l, StringComparer.Ordinal)) is string missing)
            {
                throw new ArgumentException($"The test set has {label} '{missing}', which the large set never shows.", nameof(large));
            }

            parts.Add(("large", null, large, largeLabels, null, []));
        }

        parts.Add(("small", null, small, smallLabels, null, []));
        foreach (var set in synthesized)
        {
            ArgumentNullException.ThrowIfNull(set, nameof(synthesized));
            if (set.Images.Count == 0)
            {
                throw new ArgumentException($"The images of '{set.Model}' are none: there is nothing to add to the small set.", nameof(synthesized));
            }

            var added = Labels(set.Images, label, $"images of '{set.Model}'", small);
            if (added.FirstOrDefault(l => !known.Contains(l)) is string foreign)
            {
                throw new ArgumentException($"The images of '{set.Model}' have {label} '{foreign}', which the small set never shows.", nameof(synthesized));
            }

            parts.Add(($"small + {set.Model}", set.Model, small, smallLabels, set.Images, added));
        }

        ConvolutionalLabelClassifier? judge = null;
        string judgeName = large is null ? "the first classifier trained on the small set" : "the first classifier trained on the large set";
        try
        {
            var results = new List<AugmentedTrainingSet>();
            foreach (var part in parts)
            {
                var (images, labels) = Combine(label, [(part.Real, part.RealLabels), .. part.Added is null ? [] : new[] { (part.Added, part.AddedLabels) }]);
                var micro = new List<double>();
                double training = 0, macro = 0, logLoss = 0;
                var rightByValue = new double[breakdown.Count];
                for (int r = 0; r < options.Repeats; r++)
                {
                    var classifier = ConvolutionalLabelClassifier.Fit(images, labels, options.ClassifierSteps, options.Seed + r, options.Device);
                    try
                    {
                        var (metrics, predicted) = classifier.Evaluate(test, testLabels);
                        micro.Add(metrics.MicroAccuracy);
                        for (int v = 0; v < breakdown.Count; v++)
                        {
                            rightByValue[v] += breakdown[v].Rows.Average(i => predicted[i] == testLabels[i] ? 1.0 : 0.0) / options.Repeats;
                        }

                        macro += metrics.MacroAccuracy / options.Repeats;
                        logLoss += metrics.LogLoss / options.Repeats;
                        training += classifier.Evaluate(images, labels).Metrics.MicroAccuracy / options.Repeats;
                        if (judge is null && part.Added is null && r == 0)
                        {
                            (judge, classifier) = (classifier, null);
                        }
                    }
                    finally
                    {
                        classifier?.Dispose();
                    }
                }

                double? agreement = null;
                if (part.Added is not null)
                {
                    var read = judge!.Predict(part.Added);
                    agreement = read.Zip(part.AddedLabels).Average(p => p.First == p.Second ? 1.0 : 0.0);
                }

                var result = new AugmentedTrainingSet(
                    part.Name, part.Model, part.Real.Count, part.Added?.Count ?? 0, training, micro.Average(), StandardDeviation(micro), macro, logLoss, micro, agreement,
                    breakdown.Select((b, v) => b.Value with { Accuracy = rightByValue[v] }).ToList());
                progress?.Report(result);
                results.Add(result);
            }

            return new AugmentationReport(label, test.Count, options.Repeats, judgeName, results);
        }
        finally
        {
            judge?.Dispose();
        }
    }

    /// <summary>
    /// The test rows of each value of each breakdown attribute (values in the test set's order), with the
    /// report entry to fill in; refuses an attribute the test set lacks or named twice.
    /// </summary>
    private static List<(ValueAccuracy Value, int[] Rows)> Breakdown(IReadOnlyList<string> attributes, ImageDataset small, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(attributes, "options.BreakdownAttributes");
        if (attributes.GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The breakdown names the attribute '{twice.Key}' twice.", "options");
        }

        var entries = new List<(ValueAccuracy, int[])>();
        foreach (string attribute in attributes)
        {
            var values = AttributeValues.Of(test, attribute, "test set");
            // A small set without the attribute shows none of its values.
            var seen = small.Attributes.Any(a => a.Name == attribute) ? AttributeValues.Of(small, attribute, "small set").ToHashSet(StringComparer.Ordinal) : [];
            var definition = test.Attributes.First(a => a.Name == attribute);
            foreach (var group in Enumerable.Range(0, values.Length).GroupBy(i => values[i], StringComparer.Ordinal).OrderBy(g => definition.IndexOf(g.Key)))
            {
                var rows = group.ToArray();
                entries.Add((new ValueAccuracy(attribute, group.Key, rows.Length, seen.Contains(group.Key), Accuracy: 0), rows));
            }
        }

        return entries;
    }

    /// <summary>Each image's value of <paramref name="attribute"/>; refuses a set without it or with another image geometry than <paramref name="reference"/>'s.</summary>
    private static string[] Labels(ImageDataset data, string attribute, string which, ImageDataset reference)
    {
        ArgumentNullException.ThrowIfNull(data, which);
        if ((data.Width, data.Height, data.Channels) != (reference.Width, reference.Height, reference.Channels))
        {
            throw new ArgumentException($"The {which} holds {data.Channels}x{data.Width}x{data.Height} images; the small set {reference.Channels}x{reference.Width}x{reference.Height}.");
        }

        return AttributeValues.Of(data, attribute, which);
    }

    /// <summary>The images of several sets as one set labelled only with <paramref name="label"/>.</summary>
    private static (ImageDataset Images, string[] Labels) Combine(string label, IReadOnlyList<(ImageDataset Set, string[] Labels)> parts)
    {
        var labels = parts.SelectMany(p => p.Labels).ToArray();
        var values = new AttributeDefinition(label, labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var pixels = parts.SelectMany(p => Enumerable.Range(0, p.Set.Count).Select(i => p.Set.GetPixels(i).ToArray())).ToArray();
        var first = parts[0].Set;
        return (new ImageDataset(first.Width, first.Height, first.Channels, [values], pixels, labels.Select(l => new[] { values.IndexOf(l) }).ToArray()), labels);
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
