using Deae.MLNet.Data;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Deae.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// An image classifier in image space, the stand-in for the paper's ResNet-18 in the bias test: the DEAE
/// encoder's convolutional trunk (<see cref="Encoder"/>, with one output per label) trained with
/// cross-entropy and Adam on the raw images. Its predictions are scored with ML.NET's multiclass
/// evaluator, like every other classifier of the project.
/// </summary>
internal sealed class ConvolutionalLabelClassifier : IDisposable
{
    private const int Batch = 64;
    private const int EvaluationBatch = 256;

    private readonly Encoder _network;
    private readonly string[] _classes;
    private readonly Device _device;
    private readonly (int Width, int Height, int Channels) _geometry;

    private ConvolutionalLabelClassifier(Encoder network, string[] classes, Device device, (int, int, int) geometry)
    {
        _network = network;
        _classes = classes;
        _device = device;
        _geometry = geometry;
    }

    /// <summary>Trains on <paramref name="train"/> and scores <paramref name="test"/>; returns ML.NET's metrics and each test image's predicted label.</summary>
    /// <param name="train">Training images.</param>
    /// <param name="trainLabels">Their labels.</param>
    /// <param name="test">Test images (the same geometry).</param>
    /// <param name="testLabels">Their labels, each one seen in training.</param>
    /// <param name="steps">Adam steps of <see cref="Batch"/> images.</param>
    /// <param name="seed">Seed of the weights and the batches.</param>
    /// <param name="device">auto, cpu or cuda.</param>
    public static (MulticlassClassificationMetrics Metrics, string[] Predicted) FitAndEvaluate(
        ImageDataset train, IReadOnlyList<string> trainLabels, ImageDataset test, IReadOnlyList<string> testLabels, int steps, int seed, string device)
    {
        using var classifier = Fit(train, trainLabels, steps, seed, device);
        return classifier.Evaluate(test, testLabels);
    }

    /// <summary>Trains a classifier of <paramref name="trainLabels"/> on <paramref name="train"/>'s images.</summary>
    /// <param name="train">Training images.</param>
    /// <param name="trainLabels">Their labels (the classes are these values).</param>
    /// <param name="steps">Adam steps of <see cref="Batch"/> images.</param>
    /// <param name="seed">Seed of the weights and the batches.</param>
    /// <param name="device">auto, cpu or cuda.</param>
    public static ConvolutionalLabelClassifier Fit(ImageDataset train, IReadOnlyList<string> trainLabels, int steps, int seed, string device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (trainLabels.Count != train.Count)
        {
            throw new ArgumentException($"{trainLabels.Count} labels for {train.Count} training images.", nameof(trainLabels));
        }

        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(Environment.ProcessorCount); // as the trainer does: TorchSharp may start with one thread
        var classes = trainLabels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = Index(classes);
        var architecture = Architecture(train, classes.Length);
        var target = DeviceSelection.Resolve(device);
        var network = DeaeTrainer.Build(() => new Encoder(architecture, variational: false), seed);
        try
        {
            network.to(target);
            using var optimizer = new ScalarSafeOptimizers.Adam(network.parameters(), 1e-3);
            var random = new Random(seed);
            var batch = new int[Math.Min(Batch, train.Count)];
            network.train();
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                for (int b = 0; b < batch.Length; b++)
                {
                    batch[b] = random.Next(train.Count);
                }

                var images = PixelCodec.ToTensor(train, batch, DecoderOutput.Tanh, target);
                var labels = tensor(batch.Select(i => (long)index[trainLabels[i]]).ToArray()).to(target);
                optimizer.zero_grad();
                nn.functional.cross_entropy(network.forward(images), labels).backward();
                optimizer.step();
            }

            network.eval();
            return new ConvolutionalLabelClassifier(network, classes, target, (train.Width, train.Height, train.Channels));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Scores <paramref name="test"/>: ML.NET's multiclass metrics and each image's predicted label.</summary>
    /// <param name="test">Images of the training geometry.</param>
    /// <param name="testLabels">Their labels, each one seen in training.</param>
    public (MulticlassClassificationMetrics Metrics, string[] Predicted) Evaluate(ImageDataset test, IReadOnlyList<string> testLabels)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (testLabels.Count != test.Count)
        {
            throw new ArgumentException($"{testLabels.Count} labels for {test.Count} images.", nameof(testLabels));
        }

        if (testLabels.FirstOrDefault(l => Array.IndexOf(_classes, l) < 0) is string unknown)
        {
            throw new ArgumentException($"The label '{unknown}' was never seen in training (classes: {string.Join(", ", _classes)}).", nameof(testLabels));
        }

        return Metrics(_classes, Probabilities(test), testLabels);
    }

    /// <summary>The most probable label of each image of <paramref name="images"/>.</summary>
    public string[] Predict(ImageDataset images) =>
        Probabilities(images).Select(p => MostProbable(_classes, p)).ToArray();

    private float[][] Probabilities(ImageDataset images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if ((images.Width, images.Height, images.Channels) != _geometry)
        {
            throw new ArgumentException($"The classifier takes {_geometry.Channels}x{_geometry.Width}x{_geometry.Height} images; the set holds {images.Channels}x{images.Width}x{images.Height}.", nameof(images));
        }

        var scores = new float[images.Count][];
        using (no_grad())
        {
            for (int start = 0; start < images.Count; start += EvaluationBatch)
            {
                using var scope = NewDisposeScope();
                var rows = Enumerable.Range(start, Math.Min(EvaluationBatch, images.Count - start)).ToArray();
                var probabilities = nn.functional.softmax(_network.forward(PixelCodec.ToTensor(images, rows, DecoderOutput.Tanh, _device)), 1).cpu().data<float>().ToArray();
                for (int r = 0; r < rows.Length; r++)
                {
                    scores[start + r] = probabilities.AsSpan(r * _classes.Length, _classes.Length).ToArray();
                }
            }
        }

        return scores;
    }

    /// <inheritdoc/>
    public void Dispose() => _network.Dispose();

    /// <summary>The network for <paramref name="data"/>'s images and <paramref name="classes"/> labels; refuses images it cannot take.</summary>
    /// <exception cref="ArgumentException">The images are not square, or their side is not one the encoder takes (<see cref="DeaeArchitecture.Validate"/>).</exception>
    internal static DeaeArchitecture Architecture(ImageDataset data, int classes)
    {
        if (data.Width != data.Height)
        {
            throw new ArgumentException($"The image classifier takes square images, not {data.Width}x{data.Height}.");
        }

        var architecture = new DeaeArchitecture { ImageSize = data.Width, Channels = data.Channels, BaseWidth = 16, HiddenSize = 256, LatentDimension = classes };
        architecture.Validate();
        return architecture;
    }

    /// <summary>
    /// ML.NET's multiclass metrics of class probabilities computed outside ML.NET, and each row's predicted
    /// label (the most probable class).
    /// </summary>
    /// <param name="classes">The class names, in the order of each score vector's slots.</param>
    /// <param name="scores">Per row, one probability per class.</param>
    /// <param name="labels">Per row, its true class (one of <paramref name="classes"/>).</param>
    internal static (MulticlassClassificationMetrics Metrics, string[] Predicted) Metrics(string[] classes, float[][] scores, IReadOnlyList<string> labels)
    {
        var index = Index(classes);
        var predicted = scores.Select(s => MostProbable(classes, s)).ToArray();
        var ml = new MLContext(1);
        var schema = SchemaDefinition.Create(typeof(ScoredRow));
        schema[nameof(ScoredRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes.Length);
        schema[nameof(ScoredRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classes.Length);
        schema[nameof(ScoredRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classes.Length);
        var rows = scores.Select((s, i) => new ScoredRow { Label = (uint)index[labels[i]], PredictedLabel = (uint)index[predicted[i]], Score = s });
        // LoadFromEnumerable reads a key-typed uint field as the zero-based class index (it stores index + 1, 0 being missing).
        return (ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows, schema), nameof(ScoredRow.Label), nameof(ScoredRow.Score), nameof(ScoredRow.PredictedLabel)), predicted);
    }

    private static string MostProbable(string[] classes, float[] probabilities) => classes[Array.IndexOf(probabilities, probabilities.Max())];

    private static Dictionary<string, int> Index(string[] classes) =>
        classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    private sealed class ScoredRow
    {
        public uint Label;

        public float[] Score = [];

        public uint PredictedLabel;
    }
}
