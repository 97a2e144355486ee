using Deae.MLNet.Data;
using Deae.MLNet.Exploration;

namespace Deae.MLNet.Evaluation;

/// <summary>Options of <see cref="AugmentationEvaluator"/>.</summary>
public sealed class AugmentationTestOptions
{
    /// <summary>The attribute the classifiers predict (the paper's letter). Augmentation never mixes its chunk, so each new image's label is a seen value.</summary>
    public string LabelAttribute = "letter";

    /// <summary>Images each model synthesizes from the small set (the paper adds 1000 to 540).</summary>
    public int SynthesizedImages = 1000;

    /// <summary>Probability that each other attribute of a new image is a mix of two seen values (<see cref="AugmentationOptions.Interpolation"/>).</summary>
    public double Interpolation = new AugmentationOptions().Interpolation;

    /// <summary>Adam steps (64 images each) of every convolutional classifier (the paper's ResNet-18, scaled down). Needs square images whose side is a power of two from 16 to 512.</summary>
    public int ClassifierSteps = 1000;

    /// <summary>Classifiers trained per training set, with seeds <see cref="Seed"/>, <see cref="Seed"/> + 1, …: the report gives their mean and spread, because one network's accuracy moves by points from seed to seed.</summary>
    public int Repeats = 3;

    /// <summary>Device of the classifiers: auto, cpu or cuda.</summary>
    public string Device = "auto";

    /// <summary>Seed of the synthesis and of the first classifier.</summary>
    public int Seed = 1;

    /// <summary>
    /// Attributes of the test set by whose values each training set's test accuracy is also split
    /// (<see cref="AugmentedTrainingSet.AccuracyByValue"/>), e.g. <c>background_color</c>: on which of the
    /// test set's values, seen in the small set or not, the classifiers fail. Empty (the default): no split.
    /// </summary>
    public IReadOnlyList<string> BreakdownAttributes = [];
}

/// <summary>The test accuracy of one training set's classifiers on the test images with one value of an attribute.</summary>
/// <param name="Attribute">The attribute (one of <see cref="AugmentationTestOptions.BreakdownAttributes"/>).</param>
/// <param name="Value">Its value.</param>
/// <param name="TestImages">Test images with that value.</param>
/// <param name="InSmallSet">Whether the small set shows the value: a classifier trained on it has never seen the others.</param>
/// <param name="Accuracy">Mean over repeats of the fraction of those images whose label was predicted right.</param>
public sealed record ValueAccuracy(string Attribute, string Value, int TestImages, bool InSmallSet, double Accuracy);

/// <summary>Images a model synthesized from the small set, to be added to it.</summary>
/// <param name="Model">The model's name in the report.</param>
/// <param name="Images">The new images, labelled (at least) with the label attribute.</param>
public sealed record SynthesizedSet(string Model, ImageDataset Images);

/// <summary>Classifiers trained on one training set of the augmentation test, scored with ML.NET's multiclass metrics on the test set.</summary>
/// <param name="Name">The set: <c>small</c>, <c>small + &lt;model&gt;</c> or <c>large</c>.</param>
/// <param name="Model">The model whose images were added; null for the real sets.</param>
/// <param name="RealImages">Real images in the set.</param>
/// <param name="SynthesizedImages">Synthesized images in the set.</param>
/// <param name="TrainingAccuracy">Mean over repeats of the accuracy on the set itself.</param>
/// <param name="MicroAccuracy">Mean over repeats of ML.NET's micro-accuracy on the test set.</param>
/// <param name="MicroAccuracyStandardDeviation">Sample standard deviation of the repeats' micro-accuracies (0 with one repeat).</param>
/// <param name="MacroAccuracy">Mean over repeats of ML.NET's macro-accuracy on the test set.</param>
/// <param name="LogLoss">Mean over repeats of ML.NET's log-loss on the test set.</param>
/// <param name="MicroAccuracies">Each repeat's micro-accuracy, in seed order.</param>
/// <param name="SynthesizedLabelAgreement">For a set with synthesized images: the fraction of them whose label the judge (<see cref="AugmentationReport.Judge"/>) reads as the label they were given — how often the decoder drew the letter it was asked for. Null for the real sets.</param>
/// <param name="AccuracyByValue">The test accuracy per value of each of <see cref="AugmentationTestOptions.BreakdownAttributes"/>, in attribute order and, within one, in the test set's value order; empty without them.</param>
public sealed record AugmentedTrainingSet(
    string Name,
    string? Model,
    int RealImages,
    int SynthesizedImages,
    double TrainingAccuracy,
    double MicroAccuracy,
    double MicroAccuracyStandardDeviation,
    double MacroAccuracy,
    double LogLoss,
    IReadOnlyList<double> MicroAccuracies,
    double? SynthesizedLabelAgreement,
    IReadOnlyList<ValueAccuracy> AccuracyByValue);

/// <summary>The augmentation test (the paper's Table 1): a label classifier trained on a small set, on the small set plus each model's synthesized images, and on a large reference set, all scored on one test set.</summary>
/// <param name="Label">The predicted attribute.</param>
/// <param name="TestRows">Images in the test set.</param>
/// <param name="Repeats">Classifiers trained per training set.</param>
/// <param name="Judge">Which classifier read the synthesized images' labels: the first one trained on the large set when there is one, otherwise on the small set.</param>
/// <param name="TrainingSets">The large set first (when given), then the small set, then the small set with each model's images.</param>
public sealed record AugmentationReport(string Label, int TestRows, int Repeats, string Judge, IReadOnlyList<AugmentedTrainingSet> TrainingSets);
