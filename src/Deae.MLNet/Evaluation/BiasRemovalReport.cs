namespace Deae.MLNet.Evaluation;

/// <summary>Options of <see cref="BiasRemovalEvaluator"/>.</summary>
public sealed class BiasRemovalOptions
{
    /// <summary>The attribute the classifiers predict (the paper's letter).</summary>
    public string LabelAttribute = "letter";

    /// <summary>The attribute the training set entangles with the label (the paper's background colour); its chunk is the one dropped.</summary>
    public string BiasAttribute = "background_color";

    /// <summary>SdcaMaximumEntropy's maximum number of passes over the training rows.</summary>
    public int Iterations = 100;

    /// <summary>
    /// Adam steps (64 images each) of the convolutional image classifier, the stand-in for the paper's
    /// ResNet-18 on images (the DEAE encoder's trunk with a label head, trained with cross-entropy); 0 leaves it out. Needs square images
    /// whose side is a power of two from 16 to 512.
    /// </summary>
    public int ImageClassifierSteps = 1000;

    /// <summary>Device of the convolutional image classifier: auto, cpu or cuda.</summary>
    public string Device = "auto";

    /// <summary>Seed of the classifiers (ML.NET's context, the image classifier's weights and batches).</summary>
    public int Seed = 1;
}

/// <summary>One classifier of the bias test: what it saw, and ML.NET's metrics on the unbiased test set.</summary>
/// <param name="Model">The model whose latents were the features (its kind, or the caller's name for it); null for the classifier on images.</param>
/// <param name="Features">Which features: <c>image CNN</c> (the convolutional classifier on the images), <c>latent</c> (every chunk), <c>latent without &lt;bias&gt;</c>, <c>&lt;label&gt; chunk</c> (the label's own chunk alone, when the model has one) or <c>&lt;bias&gt; chunk</c> (the dropped chunk alone).</param>
/// <param name="FeatureCount">Length of the feature vector.</param>
/// <param name="MicroAccuracy">ML.NET's micro-accuracy (the fraction of test rows whose label is predicted right).</param>
/// <param name="MacroAccuracy">ML.NET's macro-accuracy (the mean over labels of each label's accuracy).</param>
/// <param name="LogLoss">ML.NET's log-loss on the test rows.</param>
/// <param name="SeenCombinationAccuracy">Accuracy on test rows whose label and bias value occur together in the training set. Null when there are none.</param>
/// <param name="UnseenCombinationAccuracy">Accuracy on test rows whose label never occurs with their bias value in training: where a classifier that uses the bias as a shortcut fails. Null when there are none.</param>
public sealed record BiasClassifierResult(
    string? Model,
    string Features,
    int FeatureCount,
    double MicroAccuracy,
    double MacroAccuracy,
    double LogLoss,
    double? SeenCombinationAccuracy,
    double? UnseenCombinationAccuracy);

/// <summary>The bias test on one training set (the paper's Table 2): letter classifiers on images and on latents with and without the bias attribute's chunk.</summary>
/// <param name="Label">The predicted attribute.</param>
/// <param name="Bias">The bias attribute.</param>
/// <param name="TrainRows">Rows the classifiers were trained on.</param>
/// <param name="TestRows">Rows they were tested on.</param>
/// <param name="TrainDependence">Normalised mutual information of label and bias in the training set (0: independent; 1: one determines the other).</param>
/// <param name="TestDependence">The same in the test set (near 0 for an unbiased test set).</param>
/// <param name="UnseenCombinationShare">Fraction of test rows whose label and bias value never occur together in training.</param>
/// <param name="Classifiers">The classifier on images first (when it was asked for), then per model its latent classifiers.</param>
public sealed record BiasRemovalReport(
    string Label,
    string Bias,
    int TrainRows,
    int TestRows,
    double TrainDependence,
    double TestDependence,
    double UnseenCombinationShare,
    IReadOnlyList<BiasClassifierResult> Classifiers);
