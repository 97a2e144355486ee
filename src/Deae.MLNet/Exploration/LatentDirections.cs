using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Deae.MLNet.Exploration;

/// <summary>Options of <see cref="LatentDirections.FitUnitDirections"/>.</summary>
public sealed class UnitDirectionOptions
{
    /// <summary>
    /// Keep only this fraction of the positives and of the negatives with the most extreme scores of a
    /// first SVM, then refit (InterFaceGAN's top/bottom selection); null uses every labelled latent.
    /// </summary>
    public double? ScoreQuantile;

    /// <summary>LinearSvm iterations (at least 1).</summary>
    public int Iterations = 20;

    /// <summary>Seed of the ML.NET context used for the SVMs.</summary>
    public int Seed = 1;

    /// <summary>Whether <paramref name="quantile"/> can be a <see cref="ScoreQuantile"/>: in (0, 0.5], the fraction kept of each side.</summary>
    public static bool IsValidQuantile(double quantile) => quantile > 0 && quantile <= 0.5;
}

/// <summary>
/// Unit direction vectors (UDVs) and cluster centres in one latent chunk (or the full latent):
/// for each value of an attribute, an ML.NET LinearSvm separates that value from the rest and its
/// unit-normalised weight vector points towards the value; KMeans finds centres, and per-value means
/// give each value's centre.
/// </summary>
public static class LatentDirections
{
    /// <summary>
    /// One UDV per value present in <paramref name="labels"/>, fitted on <paramref name="vectors"/>
    /// (one row per image: a chunk or a full latent).
    /// </summary>
    /// <param name="vectors">Row vectors, all the same length.</param>
    /// <param name="labels">The attribute value of each row.</param>
    /// <param name="attribute">The attribute's name, for error messages.</param>
    /// <param name="options">SVM settings.</param>
    public static IReadOnlyDictionary<string, float[]> FitUnitDirections(IReadOnlyList<float[]> vectors, IReadOnlyList<string> labels, string attribute, UnitDirectionOptions? options = null)
    {
        Validate(vectors, labels, attribute);
        options ??= new UnitDirectionOptions();
        if (options.ScoreQuantile is double quantile && !UnitDirectionOptions.IsValidQuantile(quantile))
        {
            throw new ArgumentOutOfRangeException(nameof(options), quantile, $"Attribute '{attribute}': ScoreQuantile must be in (0, 0.5] (the fraction of positives and of negatives kept), or null to keep them all.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Iterations, "options.Iterations");
        var ml = new MLContext(options.Seed);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (string value in labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            int positives = labels.Count(l => l == value), negatives = labels.Count - positives;
            if (positives < 2 || negatives < 2)
            {
                throw new ArgumentException($"Attribute '{attribute}', value '{value}': {positives} sample(s) of the value and {negatives} of the rest; an SVM needs at least 2 of each.");
            }

            var rows = Enumerable.Range(0, vectors.Count).Select(i => new Row { Features = vectors[i], Label = labels[i] == value }).ToList();
            var (weights, bias) = FitSvm(ml, rows, options.Iterations);
            if (options.ScoreQuantile is double q)
            {
                // Keep the most confidently scored positives and negatives, then refit.
                float Score(Row r) => Dot(weights, r.Features) + bias;
                var kept = rows.Where(r => r.Label).OrderByDescending(Score).Take(Math.Max(2, (int)Math.Ceiling(positives * q)))
                    .Concat(rows.Where(r => !r.Label).OrderBy(Score).Take(Math.Max(2, (int)Math.Ceiling(negatives * q)))).ToList();
                (weights, _) = FitSvm(ml, kept, options.Iterations);
            }

            result[value] = Normalise(weights, $"attribute '{attribute}', value '{value}'");
        }

        return result;
    }

    /// <summary>The mean vector of each value (the value's centre).</summary>
    public static IReadOnlyDictionary<string, float[]> ValueMeans(IReadOnlyList<float[]> vectors, IReadOnlyList<string> labels, string attribute)
    {
        Validate(vectors, labels, attribute);
        return labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToDictionary(
            v => v,
            v =>
            {
                var members = Enumerable.Range(0, vectors.Count).Where(i => labels[i] == v).ToList();
                var mean = new float[vectors[0].Length];
                foreach (int i in members)
                {
                    for (int d = 0; d < mean.Length; d++)
                    {
                        mean[d] += vectors[i][d] / members.Count;
                    }
                }

                return mean;
            },
            StringComparer.Ordinal);
    }

    /// <summary>KMeans centres of <paramref name="vectors"/> (ML.NET's trainer).</summary>
    public static IReadOnlyList<float[]> ClusterCentres(IReadOnlyList<float[]> vectors, int k, string attribute, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(attribute);
        CheckRows(vectors, attribute);
        if (k < 1 || k > vectors.Count)
        {
            throw new ArgumentException($"Attribute '{attribute}': k = {k} clusters for {vectors.Count} samples; k must be between 1 and the number of samples.");
        }

        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(vectors.Select(v => new Row { Features = v }), Schema(vectors[0].Length));
        // One thread: ML.NET's KMeans does not promise the same centres from parallel runs with one seed.
        var model = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features),
            NumberOfClusters = k,
            NumberOfThreads = 1,
        }).Fit(data);
        VBuffer<float>[] centres = [];
        model.Model.GetClusterCentroids(ref centres, out int count);
        return centres.Take(count).Select(c => c.DenseValues().ToArray()).ToList();
    }

    /// <summary>
    /// <paramref name="direction"/> with the components along <paramref name="keepFixed"/> removed (Gram–Schmidt),
    /// unit-normalised: moving along it leaves the scores of those directions unchanged (conditional editing).
    /// </summary>
    public static float[] ProjectOut(float[] direction, IEnumerable<float[]> keepFixed)
    {
        ArgumentNullException.ThrowIfNull(direction);
        ArgumentNullException.ThrowIfNull(keepFixed);
        var basis = new List<float[]>();
        foreach (var vector in keepFixed)
        {
            ArgumentNullException.ThrowIfNull(vector, nameof(keepFixed));
            CheckSameLength(direction, vector, "A direction to keep fixed");
            var orthogonal = (float[])vector.Clone();
            foreach (var b in basis)
            {
                Subtract(orthogonal, b, Dot(orthogonal, b));
            }

            // Independent of those before it (relative to its length, as below), or nothing new to keep fixed.
            if (Math.Sqrt(Dot(orthogonal, orthogonal)) > 1e-4 * Math.Sqrt(Dot(vector, vector)))
            {
                basis.Add(Normalise(orthogonal, "a fixed direction"));
            }
        }

        var result = (float[])direction.Clone();
        foreach (var b in basis)
        {
            Subtract(result, b, Dot(result, b));
        }

        // Relative to the direction's own length: what float rounding leaves of a direction inside the span
        // (about 1e-7 of it) must not be normalised into a random direction.
        double left = Math.Sqrt(Dot(result, result)), norm = Math.Sqrt(Dot(direction, direction));
        if (left <= 1e-4 * norm)
        {
            throw new ArgumentException($"The direction lies in the span of the {basis.Count} independent direction(s) to keep fixed ({direction.Length} dimensions): nothing of it is left to move along. Keep fewer values fixed or use a larger chunk.", nameof(keepFixed));
        }

        return Normalise(result, "the projected direction");
    }

    /// <summary>A weighted sum of directions, unit-normalised (e.g. v_blue + v_red − v_green to mine new colours).</summary>
    /// <param name="terms">Directions of one space (all the same length) and their weights: at least one, every weight finite, and not cancelling.</param>
    public static float[] Combine(IEnumerable<(float[] Direction, float Weight)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return Combine([.. terms.Select((t, i) => (t.Direction, t.Weight, $"direction {i + 1}"))], "The weighted sum of the directions", nameof(terms));
    }

    /// <summary>
    /// <see cref="Combine(IEnumerable{ValueTuple{float[], float}})"/> with messages (<see cref="ArgumentException"/>s for
    /// <paramref name="parameter"/>) that begin with <paramref name="subject"/> and name each term by its
    /// <c>Name</c>. Refused: no terms, a weight that is not finite (it would make every coordinate NaN or
    /// infinite), and weights that cancel: the sum's length at most 1e-4 of the sum of the weights' magnitudes
    /// (of unit directions, e.g. v_a − v_a), whose rounding noise normalised would be a random direction.
    /// </summary>
    internal static float[] Combine(IReadOnlyList<(float[] Direction, float Weight, string Name)> terms, string subject, string parameter)
    {
        if (terms.Count == 0)
        {
            throw new ArgumentException($"{subject} has no terms: give at least one direction and its weight.", parameter);
        }

        var sum = new float[terms[0].Direction?.Length ?? 0];
        double magnitude = 0;
        foreach (var (direction, weight, name) in terms)
        {
            ArgumentNullException.ThrowIfNull(direction, parameter);
            if (!float.IsFinite(weight))
            {
                throw new ArgumentException($"{subject}: the weight of {name} is {weight.ToString(CultureInfo.InvariantCulture)}, not a finite number.", parameter);
            }

            CheckSameLength(sum, direction, "A direction to combine");
            magnitude += Math.Abs(weight) * Math.Sqrt(Dot(direction, direction));
            for (int d = 0; d < sum.Length; d++)
            {
                sum[d] += weight * direction[d];
            }
        }

        if (Math.Sqrt(Dot(sum, sum)) <= 1e-4 * magnitude)
        {
            throw new ArgumentException($"{subject} is zero (the weights cancel): there is no direction to move along.", parameter);
        }

        return Normalise(sum, "the combined direction");
    }

    private static void CheckSameLength(float[] reference, float[] other, string what)
    {
        if (other.Length != reference.Length)
        {
            throw new ArgumentException($"{what} has {other.Length} dimensions where {reference.Length} are expected: directions of different chunks (or of a chunk and the full latent) cannot be mixed.");
        }
    }

    internal static float Dot(float[] a, float[] b)
    {
        float sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }

    private static void Subtract(float[] target, float[] direction, float amount)
    {
        for (int d = 0; d < target.Length; d++)
        {
            target[d] -= amount * direction[d];
        }
    }

    private static float[] Normalise(IReadOnlyList<float> vector, string what)
    {
        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm < 1e-9)
        {
            throw new InvalidOperationException($"Cannot normalise {what}: it is zero.");
        }

        return vector.Select(v => (float)(v / norm)).ToArray();
    }

    private static (float[] Weights, float Bias) FitSvm(MLContext ml, List<Row> rows, int iterations)
    {
        var data = ml.Data.LoadFromEnumerable(rows, Schema(rows[0].Features.Length));
        var model = ml.BinaryClassification.Trainers.LinearSvm(nameof(Row.Label), nameof(Row.Features), numberOfIterations: iterations).Fit(data);
        return (model.Model.Weights.ToArray(), model.Model.Bias);
    }

    private static SchemaDefinition Schema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return schema;
    }

    private static void Validate(IReadOnlyList<float[]> vectors, IReadOnlyList<string> labels, string attribute)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(attribute);
        if (vectors.Count != labels.Count)
        {
            throw new ArgumentException($"Attribute '{attribute}': {vectors.Count} vectors and {labels.Count} labels; they must pair up.");
        }

        CheckRows(vectors, attribute);
        if (labels.Any(l => l is null))
        {
            throw new ArgumentException($"Attribute '{attribute}': a label is null.", nameof(labels));
        }
    }

    /// <summary>Refuses no rows, a null row, or rows of different lengths.</summary>
    private static void CheckRows(IReadOnlyList<float[]> vectors, string attribute)
    {
        if (vectors.Count == 0)
        {
            throw new ArgumentException($"Attribute '{attribute}': there are no vectors.", nameof(vectors));
        }

        if (vectors.Any(v => v is null))
        {
            throw new ArgumentException($"Attribute '{attribute}': a vector is null.", nameof(vectors));
        }

        if (vectors.Any(v => v.Length != vectors[0].Length))
        {
            throw new ArgumentException($"Attribute '{attribute}': the vectors differ in length.", nameof(vectors));
        }
    }

    private sealed class Row
    {
        public float[] Features = [];

        public bool Label;
    }
}
