using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// An ML.NET multiclass classifier (SdcaMaximumEntropy, one thread so that a seed gives one result) from
/// feature vectors to string labels: the project's one way of asking "how well do these features tell the
/// label", used by the attribute oracles and the bias-removal test.
/// </summary>
internal sealed class LabelClassifier
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _schema;

    private LabelClassifier(MLContext ml, ITransformer model, SchemaDefinition schema, IReadOnlySet<string> labels)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
        Labels = labels;
    }

    /// <summary>The labels seen in training.</summary>
    public IReadOnlySet<string> Labels { get; }

    /// <summary>Trains on <paramref name="features"/> (one vector per row, all of one length) and their labels.</summary>
    /// <param name="ml">The ML.NET context (its seed fixes the training).</param>
    /// <param name="features">Feature vectors.</param>
    /// <param name="labels">One label per vector.</param>
    /// <param name="normalise">Scale each feature to zero mean and unit variance first (for features of unequal scales, such as latent codes).</param>
    /// <param name="iterations">SDCA's maximum number of passes.</param>
    public static LabelClassifier Fit(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<string> labels, bool normalise = false, int iterations = 100)
    {
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException($"{features.Count} feature vectors and {labels.Count} labels: a classifier needs one label per vector, and at least one.");
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label));
        if (normalise)
        {
            pipeline = pipeline.Append(ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)));
        }

        var model = pipeline
            // One thread: SDCA's lock-free parallel updates make runs with one seed differ.
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                MaximumNumberOfIterations = iterations,
                NumberOfThreads = 1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue(PredictedValue, "PredictedLabel"))
            .Fit(ml.Data.LoadFromEnumerable(Rows(features, labels), schema));
        return new LabelClassifier(ml, model, schema, labels.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The predicted label of each vector.</summary>
    public string[] Predict(IReadOnlyList<float[]> features) =>
        _model.Transform(_ml.Data.LoadFromEnumerable(Rows(features, null), _schema))
            .GetColumn<ReadOnlyMemory<char>>(PredictedValue).Select(v => v.ToString()).ToArray();

    /// <summary>ML.NET's multiclass metrics on labelled rows, and each row's predicted label.</summary>
    /// <exception cref="ArgumentException">A label was not seen in training (ML.NET would drop its rows silently).</exception>
    public (MulticlassClassificationMetrics Metrics, string[] Predicted) Evaluate(IReadOnlyList<float[]> features, IReadOnlyList<string> labels)
    {
        if (labels.FirstOrDefault(l => !Labels.Contains(l)) is string unknown)
        {
            throw new ArgumentException($"Label '{unknown}' does not occur in the classifier's training rows.", nameof(labels));
        }

        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(Rows(features, labels), _schema));
        var metrics = _ml.MulticlassClassification.Evaluate(scored, nameof(Row.Label));
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>(PredictedValue).Select(v => v.ToString()).ToArray();
        return (metrics, predicted);
    }

    private const string PredictedValue = "PredictedValue";

    private static IEnumerable<Row> Rows(IReadOnlyList<float[]> features, IReadOnlyList<string>? labels) =>
        features.Select((f, i) => new Row { Features = f, Label = labels?[i] ?? "" });

    private sealed class Row
    {
        public float[] Features = [];

        public string Label = "";
    }
}
