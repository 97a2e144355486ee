using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>Disentanglement scores of latent codes against discrete ground-truth factors.</summary>
/// <param name="Mig">Mutual information gap (mean over factors of the normalised gap between the two most informative dimensions).</param>
/// <param name="Sap">Separated attribute predictability (mean over factors of the gap between the two most predictive single dimensions).</param>
/// <param name="DciDisentanglement">DCI disentanglement (1 − entropy of each dimension's importance over factors, weighted by importance).</param>
/// <param name="DciCompleteness">DCI completeness (1 − entropy of each factor's importance over dimensions).</param>
/// <param name="DciInformativeness">DCI informativeness (held-out accuracy of the tree classifiers).</param>
/// <param name="Modularity">Modularity (how much each dimension's information concentrates on one factor).</param>
/// <param name="FactorVae">FactorVAE score (accuracy of the majority-vote classifier from lowest-variance dimension to fixed factor).</param>
/// <param name="DciImportance">
/// Per latent dimension, its DCI importance for each factor (each factor's column sums to 1, or is all 0
/// when no classifier split): which dimensions the tree classifiers read a factor from, even where no
/// single dimension's mutual information shows it.
/// </param>
/// <param name="DciInformativenessByFactor">Per factor, the held-out accuracy of its tree classifiers (<paramref name="DciInformativeness"/> is their mean).</param>
public sealed record DisentanglementScores(
    double Mig,
    double Sap,
    double DciDisentanglement,
    double DciCompleteness,
    double DciInformativeness,
    double Modularity,
    double FactorVae,
    IReadOnlyList<double[]> DciImportance,
    IReadOnlyList<double> DciInformativenessByFactor);

/// <summary>DCI scores and what they are computed from.</summary>
/// <param name="Disentanglement">1 − entropy of each dimension's importance over factors, weighted by the dimension's share of all importance.</param>
/// <param name="Completeness">1 − entropy of each factor's importance over dimensions, weighted by the factor's share.</param>
/// <param name="Informativeness">Mean over factors of <paramref name="InformativenessByFactor"/>.</param>
/// <param name="Importance">Per latent dimension, its importance for each factor (a factor's column sums to 1, or is all 0 when no classifier split).</param>
/// <param name="InformativenessByFactor">Per factor, the held-out accuracy of its one-vs-rest tree classifiers' vote.</param>
public sealed record DciScores(double Disentanglement, double Completeness, double Informativeness, IReadOnlyList<double[]> Importance, IReadOnlyList<double> InformativenessByFactor);

/// <summary>
/// MIG, SAP, DCI, modularity and the FactorVAE score as defined by disentanglement_lib, on latents
/// [N, D] and discrete factor labels [N, K]. Differences from that library, chosen to need no Python:
/// SAP's per-dimension predictor is a nearest-class-mean threshold on that dimension (it uses a linear
/// SVM); DCI's importances are the gains of ML.NET FastTree one-vs-rest classifiers (it uses sklearn's
/// gradient boosting).
/// </summary>
public static class DisentanglementMetrics
{
    private const int Bins = 20;

    /// <summary>Every score.</summary>
    /// <param name="latents">One code per sample.</param>
    /// <param name="factors">One label vector per sample (value indices).</param>
    /// <param name="seed">Seed of splits and samplings.</param>
    /// <param name="mutualInformation">The latents' <see cref="MutualInformation"/> when the caller already has it; computed when null.</param>
    public static DisentanglementScores Evaluate(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors, int seed = 1, double[,]? mutualInformation = null)
    {
        Check(latents, factors);
        var mi = mutualInformation ?? MutualInformation(latents, factors);
        var dci = Dci(latents, factors, seed);
        return new DisentanglementScores(
            Mig(latents, factors, mi), Sap(latents, factors, seed), dci.Disentanglement, dci.Completeness, dci.Informativeness, Modularity(mi), FactorVae(latents, factors, seed),
            dci.Importance, dci.InformativenessByFactor);
    }

    /// <summary>Discrete mutual information [D, K] between each latent dimension (20 equal-width bins) and each factor.</summary>
    public static double[,] MutualInformation(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors)
    {
        Check(latents, factors);
        int n = latents.Count, dims = latents[0].Length, k = factors[0].Length;
        var mi = new double[dims, k];
        for (int j = 0; j < dims; j++)
        {
            var binned = Discretise(latents.Select(l => l[j]).ToArray());
            for (int f = 0; f < k; f++)
            {
                mi[j, f] = DiscreteMutualInformation(binned, factors.Select(x => x[f]).ToArray());
            }
        }

        return mi;
    }

    /// <summary>MIG: per factor, (top MI − second MI) / H(factor), averaged.</summary>
    public static double Mig(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors, double[,]? mutualInformation = null)
    {
        Check(latents, factors);
        var mi = mutualInformation ?? MutualInformation(latents, factors);
        int dims = mi.GetLength(0), k = mi.GetLength(1);
        if (dims != latents[0].Length || k != factors[0].Length)
        {
            throw new ArgumentException($"The mutual information matrix is {dims}×{k}; the latents and factors need {latents[0].Length}×{factors[0].Length}.", nameof(mutualInformation));
        }

        if (dims < 2)
        {
            throw new ArgumentException("MIG needs at least two latent dimensions.", nameof(latents));
        }

        return Enumerable.Range(0, k).Average(f =>
        {
            double entropy = Entropy(factors.Select(x => x[f]).ToArray());
            var sorted = Enumerable.Range(0, dims).Select(j => mi[j, f]).OrderDescending().ToArray();
            return entropy > 0 ? (sorted[0] - sorted[1]) / entropy : 0;
        });
    }

    /// <summary>Modularity: per dimension 1 − Σ_{k≠max} MI² / (max MI² (K − 1)), averaged over all dimensions (a dimension with no information about any factor scores 0, as in disentanglement_lib).</summary>
    public static double Modularity(double[,] mutualInformation) => ModularityPerDimension(mutualInformation).Average();

    /// <summary>
    /// The modularity of each latent dimension (its row of <paramref name="mutualInformation"/>): 1 when all its
    /// information is about one factor, 0 when it has none or spreads it evenly. Shows which dimensions pull
    /// <see cref="Modularity"/> down.
    /// </summary>
    public static double[] ModularityPerDimension(double[,] mutualInformation)
    {
        ArgumentNullException.ThrowIfNull(mutualInformation);
        int dims = mutualInformation.GetLength(0), k = mutualInformation.GetLength(1);
        var scores = new double[dims];
        for (int j = 0; j < dims; j++)
        {
            var row = Enumerable.Range(0, k).Select(f => mutualInformation[j, f]).ToArray();
            double max = row.Max();
            if (max <= 1e-12)
            {
                continue; // no information about any factor, one factor or many
            }

            if (k < 2)
            {
                scores[j] = 1;
                continue;
            }

            double deviation = row.Sum(m => m * m) - (max * max);
            scores[j] = 1 - (deviation / (max * max * (k - 1)));
        }

        return scores;
    }

    /// <summary>SAP: per factor, the gap between the two best single-dimension accuracies (held-out half), averaged.</summary>
    public static double Sap(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors, int seed = 1)
    {
        Check(latents, factors);
        var (train, test) = Split(latents.Count, seed);
        int dims = latents[0].Length, k = factors[0].Length;
        return Enumerable.Range(0, k).Average(f =>
        {
            var accuracies = Enumerable.Range(0, dims).Select(j =>
            {
                // Nearest class mean on this one dimension.
                var means = train.GroupBy(i => factors[i][f]).ToDictionary(g => g.Key, g => g.Average(i => latents[i][j]));
                return test.Average(i => means.MinBy(m => Math.Abs(m.Value - latents[i][j])).Key == factors[i][f] ? 1.0 : 0.0);
            }).OrderDescending().ToArray();
            return dims > 1 ? accuracies[0] - accuracies[1] : accuracies[0];
        });
    }

    /// <summary>DCI disentanglement, completeness and informativeness from ML.NET FastTree importances, with the importances and each factor's accuracy.</summary>
    public static DciScores Dci(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors, int seed = 1)
    {
        Check(latents, factors);
        var ml = new MLContext(seed);
        var (train, test) = Split(latents.Count, seed);
        int dims = latents[0].Length, k = factors[0].Length;
        var importance = new double[dims, k];
        var accuracy = new double[k];
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        for (int f = 0; f < k; f++)
        {
            var values = factors.Select(x => x[f]).Distinct().Order().ToArray();
            // A value with no positive (or no negative) training row gets no classifier; it must never win the vote.
            var scores = new double[test.Length, values.Length];
            for (int t = 0; t < test.Length; t++)
            {
                for (int v = 0; v < values.Length; v++)
                {
                    scores[t, v] = double.NegativeInfinity;
                }
            }

            var column = new double[dims];
            for (int v = 0; v < values.Length; v++)
            {
                var rows = train.Select(i => new Row { Features = latents[i], Label = factors[i][f] == values[v] }).ToList();
                if (rows.All(r => r.Label) || rows.All(r => !r.Label))
                {
                    continue;
                }

                var model = ml.BinaryClassification.Trainers.FastTree(nameof(Row.Label), nameof(Row.Features), numberOfLeaves: 8, numberOfTrees: 20, minimumExampleCountPerLeaf: 5)
                    .Fit(ml.Data.LoadFromEnumerable(rows, schema));
                var gains = RelativeGains(model.Model.SubModel, dims);
                for (int j = 0; j < dims; j++)
                {
                    column[j] += gains[j];
                }

                var predictions = model.Transform(ml.Data.LoadFromEnumerable(test.Select(i => new Row { Features = latents[i] }), schema));
                var score = predictions.GetColumn<float>("Score").ToArray();
                for (int t = 0; t < test.Length; t++)
                {
                    scores[t, v] = score[t];
                }
            }

            // Each factor's importances sum to 1 (sklearn's multi-class importances do), however many values it has
            // and however many of its classifiers split: dividing by the classifier count would under-weight a
            // factor one of whose values no tree could split off.
            double columnTotal = column.Sum();
            for (int j = 0; j < dims; j++)
            {
                importance[j, f] = columnTotal > 0 ? column[j] / columnTotal : 0;
            }

            accuracy[f] = Enumerable.Range(0, test.Length).Average(t =>
                values[Enumerable.Range(0, values.Length).MaxBy(v => scores[t, v])] == factors[test[t]][f] ? 1.0 : 0.0);
        }

        var byDimension = Enumerable.Range(0, dims).Select(j => Enumerable.Range(0, k).Select(f => importance[j, f]).ToArray()).ToArray();
        double total = importance.Cast<double>().Sum();
        if (total <= 0)
        {
            return new DciScores(0, 0, accuracy.Average(), byDimension, accuracy);
        }

        // Disentanglement: per dimension 1 − H_K(its importance row), weighted by the row's share.
        double disentanglement = 0, completeness = 0;
        foreach (var row in byDimension)
        {
            disentanglement += (row.Sum() / total) * (1 - NormalisedEntropy(row, k));
        }

        // Completeness: per factor 1 − H_D(its importance column), weighted by the column's share.
        for (int f = 0; f < k; f++)
        {
            var column = Enumerable.Range(0, dims).Select(j => importance[j, f]).ToArray();
            completeness += (column.Sum() / total) * (1 - NormalisedEntropy(column, dims));
        }

        return new DciScores(disentanglement, completeness, accuracy.Average(), byDimension, accuracy);
    }

    /// <summary>
    /// FactorVAE score: votes (dimension with the lowest normalised variance among 64 samples sharing one
    /// factor value → that factor), a majority-vote classifier on half the votes, its accuracy on the rest.
    /// 10,000 votes by default (disentanglement_lib casts 10,000 to train and 5,000 to test): with 800, as
    /// before 2026-12-04, one score's standard error was about 0.025, as large as gaps between models.
    /// </summary>
    public static double FactorVae(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors, int seed = 1, int votes = 10_000, int batch = 64)
    {
        Check(latents, factors);
        ArgumentOutOfRangeException.ThrowIfLessThan(votes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        int dims = latents[0].Length, k = factors[0].Length;
        var std = Enumerable.Range(0, dims).Select(j => StdDev(latents.Select(l => (double)l[j]))).ToArray();
        var active = Enumerable.Range(0, dims).Where(j => std[j] >= 0.05).ToArray();
        if (active.Length == 0)
        {
            return 0;
        }

        var random = new Random(seed);
        var byValue = Enumerable.Range(0, k).Select(f => latents.Select((_, i) => i).GroupBy(i => factors[i][f]).Where(g => g.Count() >= 2).Select(g => g.ToArray()).ToArray()).ToArray();
        // A factor whose every value occurs once cannot be held fixed over a batch: it casts no votes.
        var votable = Enumerable.Range(0, k).Where(f => byValue[f].Length > 0).ToArray();
        if (votable.Length == 0)
        {
            throw new ArgumentException("FactorVAE score: no factor has a value shared by two latents; more latents per value are needed.", nameof(factors));
        }

        // Per factor, the group of each sample that can be held fixed, so that drawing a sample draws its group.
        var groupOfSample = byValue.Select(groups => groups.SelectMany((g, index) => g.Select(_ => index)).ToArray()).ToArray();
        var cast = new List<(int Dimension, int Factor)>();
        for (int v = 0; v < votes; v++)
        {
            int f = votable[random.Next(votable.Length)];
            // The fixed value is a random sample's (as disentanglement_lib draws it), so values are held fixed as
            // often as they occur: on an unbalanced set a rare value does not get as many votes as a common one.
            var group = byValue[f][groupOfSample[f][random.Next(groupOfSample[f].Length)]];
            var members = Enumerable.Range(0, batch).Select(_ => group[random.Next(group.Length)]).ToArray();
            int dimension = active.MinBy(j => Variance(members.Select(i => latents[i][j] / std[j])));
            cast.Add((dimension, f));
        }

        var trainVotes = cast.Take(votes / 2).ToList();
        var vote = trainVotes.GroupBy(c => c.Dimension).ToDictionary(g => g.Key, g => g.GroupBy(c => c.Factor).MaxBy(x => x.Count())!.Key);
        return cast.Skip(votes / 2).Average(c => vote.TryGetValue(c.Dimension, out int predicted) && predicted == c.Factor ? 1.0 : 0.0);
    }

    private static int[] Discretise(float[] values)
    {
        float min = values.Min(), max = values.Max();
        float width = (max - min) / Bins;
        return values.Select(v => width <= 0 ? 0 : Math.Min(Bins - 1, (int)((v - min) / width))).ToArray();
    }

    /// <summary>Mutual information (nats) of two discrete variables, from their joint counts.</summary>
    internal static double DiscreteMutualInformation(int[] a, int[] b)
    {
        int n = a.Length;
        var joint = new Dictionary<(int, int), int>();
        var pa = new Dictionary<int, int>();
        var pb = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            joint[(a[i], b[i])] = joint.GetValueOrDefault((a[i], b[i])) + 1;
            pa[a[i]] = pa.GetValueOrDefault(a[i]) + 1;
            pb[b[i]] = pb.GetValueOrDefault(b[i]) + 1;
        }

        return joint.Sum(j => (j.Value / (double)n) * Math.Log(j.Value * (double)n / (pa[j.Key.Item1] * (double)pb[j.Key.Item2])));
    }

    /// <summary>Entropy (nats) of a discrete variable.</summary>
    internal static double Entropy(int[] values) =>
        -values.GroupBy(v => v).Sum(g => (g.Count() / (double)values.Length) * Math.Log(g.Count() / (double)values.Length));

    /// <summary>
    /// A classifier's feature importances as shares of its total split gain (summing to 1, or all 0 when it
    /// made no split), as sklearn's <c>feature_importances_</c> are. FastTree reports √(gain / largest gain),
    /// so the weights are squared back before they are normalised.
    /// </summary>
    private static double[] RelativeGains(Microsoft.ML.Trainers.FastTree.FastTreeBinaryModelParameters trees, int dims)
    {
        var weights = default(VBuffer<float>);
        trees.GetFeatureWeights(ref weights);
        var gains = new double[dims];
        foreach (var (j, w) in weights.Items())
        {
            gains[j] = (double)w * w;
        }

        double total = gains.Sum();
        return total > 0 ? gains.Select(g => g / total).ToArray() : gains;
    }

    private static double NormalisedEntropy(double[] weights, int categories)
    {
        double sum = weights.Sum();
        if (sum <= 0)
        {
            return 1;
        }

        if (categories < 2)
        {
            // One category: all the weight is on it, which is no uncertainty at all.
            return 0;
        }

        return -weights.Where(w => w > 0).Sum(w => (w / sum) * Math.Log(w / sum)) / Math.Log(categories);
    }

    private static double Variance(IEnumerable<double> values)
    {
        var list = values.ToList();
        double mean = list.Average();
        return list.Average(v => (v - mean) * (v - mean));
    }

    private static double StdDev(IEnumerable<double> values) => Math.Sqrt(Variance(values));

    private static (int[] Train, int[] Test) Split(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return (order.Take(count / 2).ToArray(), order.Skip(count / 2).ToArray());
    }

    private static void Check(IReadOnlyList<float[]> latents, IReadOnlyList<int[]> factors)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(factors);
        if (latents.Count != factors.Count || latents.Count < 4)
        {
            throw new ArgumentException($"{latents.Count} latents and {factors.Count} factor rows: they must pair up, at least 4 of them.");
        }

        int dimensions = latents[0]?.Length ?? 0, factorCount = factors[0]?.Length ?? 0;
        int ragged = Enumerable.Range(0, latents.Count).FirstOrDefault(i => latents[i]?.Length != dimensions || factors[i]?.Length != factorCount, -1);
        if (dimensions == 0 || factorCount == 0 || ragged >= 0)
        {
            throw new ArgumentException($"Latent and factor rows must each have one length, not empty (row {Math.Max(ragged, 0)} differs from row 0 or is empty).");
        }

        // A NaN would land in a histogram bin, or be dropped as a collapsed dimension, and give a plausible score.
        for (int i = 0; i < latents.Count; i++)
        {
            int bad = Array.FindIndex(latents[i], v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException($"Latent row {i}, dimension {bad} is {latents[i][bad]}: the codes must be finite (did training diverge?).", nameof(latents));
            }
        }

        // A factor with one value has no entropy: MIG divides by it, and no metric can say which dimension holds it.
        for (int f = 0; f < factorCount; f++)
        {
            int first = factors[0][f];
            if (factors.All(row => row[f] == first))
            {
                throw new ArgumentException($"Factor {f} takes one value ({first}) in every row: there is nothing to disentangle; leave it out.", nameof(factors));
            }
        }
    }

    private sealed class Row
    {
        public float[] Features = [];

        public bool Label;
    }
}
