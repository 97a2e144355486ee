using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class DisentanglementMetricsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>1200 samples of 3 independent factors with 4 values each.</summary>
    private static List<int[]> Factors()
    {
        var random = new Random(2);
        return Enumerable.Range(0, 1200).Select(_ => new[] { random.Next(4), random.Next(4), random.Next(4) }).ToList();
    }

    private static float Noise(Random random, float scale) => (float)((random.NextDouble() - 0.5) * scale);

    [Fact]
    public void TheCodeScaleIsTheMeanPerDimensionSpreadAndScalesWithTheCodes()
    {
        float[][] codes = [[0f, 0f], [2f, 4f]]; // standard deviations 1 and 2
        Assert.Equal(1.5, ModelEvaluator.MeanStandardDeviation(codes), 6);
        Assert.Equal(0.75, ModelEvaluator.MeanStandardDeviation(codes.Select(c => c.Select(v => (v * 0.5f) + 7f).ToArray()).ToArray()), 6);
    }

    [Fact]
    public void ChunkSeparationComparesValueMeansWithTheSpreadWithinValuesWhateverTheScale()
    {
        // One attribute in dimension 0 (values 0 and 1: means 0.1 and 1.1, each ±0.1), noise in dimension 1.
        float[][] codes = [[0f, 5f], [0.2f, -5f], [1f, -5f], [1.2f, 5f]];
        int[] labels = [0, 0, 1, 1];
        Assert.Equal(25.0, ModelEvaluator.ChunkSeparation(codes, labels, 0..1), 4); // between 4 × 0.5², within 4 × 0.1²
        Assert.Equal(0.0, ModelEvaluator.ChunkSeparation(codes, labels, 1..2), 6);  // both values have mean 0
        var scaled = codes.Select(c => c.Select(v => (3 * v) - 2).ToArray()).ToArray();
        Assert.Equal(25.0, ModelEvaluator.ChunkSeparation(scaled, labels, 0..1), 3);
        // No spread within values: separated without bound when the value means differ, 0 for a dead chunk.
        float[][] exact = [[0f, 1f], [0f, 1f], [1f, 1f], [1f, 1f]];
        Assert.Equal(double.PositiveInfinity, ModelEvaluator.ChunkSeparation(exact, labels, 0..1));
        Assert.Equal(0.0, ModelEvaluator.ChunkSeparation(exact, labels, 1..2));
    }

    [Fact]
    public void HandWorkedValuesOfTheBuildingBlocksAndOfMig()
    {
        // A uniform four-valued variable shares all of its entropy (ln 4) with itself and none with an
        // independent one (a balanced design: every pair occurs equally often).
        int[] x = [.. Enumerable.Range(0, 16).Select(i => i % 4)];
        int[] independent = [.. Enumerable.Range(0, 16).Select(i => i / 4)];
        Assert.Equal(Math.Log(4), DisentanglementMetrics.Entropy(x), 12);
        Assert.Equal(Math.Log(4), DisentanglementMetrics.DiscreteMutualInformation(x, x), 12);
        Assert.Equal(0.0, DisentanglementMetrics.DiscreteMutualInformation(x, independent), 12);

        // Modularity of one row [1, 0.5, 0]: 1 − 0.5² / (1² · (3 − 1)) = 0.875; a row with no information scores 0,
        // with one factor as with many.
        Assert.Equal(0.875, DisentanglementMetrics.ModularityPerDimension(new double[,] { { 1, 0.5, 0 } })[0], 12);
        Assert.Equal([0.0, 1.0], DisentanglementMetrics.ModularityPerDimension(new double[,] { { 0 }, { 0.3 } }));

        // MIG: dimension 0 copies factor 0 (MI = its entropy), dimension 1 copies factor 1, dimension 2 is the
        // same for factor 0's first two and last two values (MI ln 2 about factor 0): factor 0's gap is
        // (ln 4 − ln 2) / ln 4 = 0.5, factor 1's is 1, so MIG = 0.75.
        var factors = Enumerable.Range(0, 16).Select(i => new[] { x[i], independent[i] }).ToList();
        var latents = factors.Select(f => new[] { (float)f[0], (float)f[1], f[0] < 2 ? 0f : 1f }).ToList();
        Assert.Equal(0.75, DisentanglementMetrics.Mig(latents, factors), 12);
    }

    [Fact]
    public void NonFiniteCodesAndFactorsWithOneValueAreRefusedNotScored()
    {
        var factors = Factors();
        var latents = factors.Select(f => f.Select(v => (float)v).ToArray()).ToList();
        latents[7][2] = float.NaN;
        Assert.Contains("Latent row 7, dimension 2 is NaN", Assert.Throws<ArgumentException>(() => DisentanglementMetrics.Evaluate(latents, factors)).Message);
        latents[7][2] = 1;
        var oneValue = factors.Select(f => new[] { f[0], 3, f[2] }).ToList();
        Assert.Contains("Factor 1 takes one value (3)", Assert.Throws<ArgumentException>(() => DisentanglementMetrics.Mig(latents, oneValue)).Message);
    }

    [Fact]
    public void ALatentThatCopiesTheFactorsScoresNearOneAndNoiseNearZero()
    {
        var factors = Factors();
        var random = new Random(3);
        var copy = factors.Select(f => f.Select(v => v + Noise(random, 0.1f)).ToArray()).ToList();
        var noise = factors.Select(_ => Enumerable.Range(0, 3).Select(_ => Noise(random, 4f)).ToArray()).ToList();
        var good = DisentanglementMetrics.Evaluate(copy, factors);
        var bad = DisentanglementMetrics.Evaluate(noise, factors);
        output.WriteLine($"copy:  {good}");
        output.WriteLine($"noise: {bad}");

        Assert.True(good.Mig > 0.9 && bad.Mig < 0.05, $"MIG {good.Mig} / {bad.Mig}");
        // SAP's best gap is 1 − chance (0.25): a single dimension predicts its factor, the next one guesses.
        Assert.True(good.Sap > 0.65 && bad.Sap < 0.05, $"SAP {good.Sap} / {bad.Sap}");
        // Boosted trees also spend a little gain on irrelevant dimensions once a factor is separated.
        Assert.True(good.DciDisentanglement > 0.8 && good.DciCompleteness > 0.8 && good.DciInformativeness > 0.95, $"DCI {good}");
        Assert.True(bad.DciDisentanglement < 0.1 && bad.DciCompleteness < 0.1, $"DCI of noise {bad}");
        Assert.True(bad.DciInformativeness < 0.4, $"DCI informativeness of noise {bad.DciInformativeness}");
        Assert.True(good.Modularity > 0.95, $"modularity {good.Modularity}");
        // FactorVAE's floor is chance among 3 factors (1/3), not 0.
        Assert.True(good.FactorVae > 0.95 && bad.FactorVae < 0.5, $"FactorVAE {good.FactorVae} / {bad.FactorVae}");
    }

    [Fact]
    public void AnEntangledLatentScoresLowerThanTheCopyOnEveryDisentanglementScore()
    {
        var factors = Factors();
        var random = new Random(5);
        var copy = factors.Select(f => f.Select(v => v + Noise(random, 0.1f)).ToArray()).ToList();
        // Each dimension mixes all factors: informative, but not disentangled.
        var mixed = factors.Select(f => new[] { f[0] + f[1] + Noise(random, 0.1f), f[1] + f[2] + Noise(random, 0.1f), f[0] - f[2] + Noise(random, 0.1f) }).ToList();
        var good = DisentanglementMetrics.Evaluate(copy, factors);
        var entangled = DisentanglementMetrics.Evaluate(mixed, factors);
        output.WriteLine($"copy:  {good}");
        output.WriteLine($"mixed: {entangled}");
        Assert.True(entangled.Mig < good.Mig - 0.3, $"MIG {entangled.Mig} vs {good.Mig}");
        Assert.True(entangled.Sap < good.Sap - 0.3, $"SAP {entangled.Sap} vs {good.Sap}");
        Assert.True(entangled.DciDisentanglement < good.DciDisentanglement - 0.2, $"DCI-D {entangled.DciDisentanglement} vs {good.DciDisentanglement}");
        Assert.True(entangled.DciCompleteness < good.DciCompleteness - 0.2, $"DCI-C {entangled.DciCompleteness} vs {good.DciCompleteness}");
        Assert.True(entangled.Modularity < good.Modularity - 0.1, $"modularity {entangled.Modularity} vs {good.Modularity}");
        // Holding one factor fixed still leaves two dimensions varying less than the third: FactorVAE's
        // majority vote is less sure, not at chance (measured 0.534 with 10,000 votes against the copy's 1).
        Assert.True(entangled.FactorVae < good.FactorVae - 0.2, $"FactorVAE {entangled.FactorVae} vs {good.FactorVae}");
    }

    [Fact]
    public void AFactorSpreadOverAChunkOfDimensionsLosesMigSapAndCompletenessButNotModularityOrFactorVae()
    {
        // What a group model's latent looks like: each factor owns a chunk of 4 dimensions that all
        // carry it. MIG and SAP score the gap between the best and the second-best single dimension, so
        // they read this perfectly chunk-wise disentangled code as barely disentangled.
        var factors = Factors();
        var random = new Random(7);
        var chunked = factors.Select(f => f.SelectMany(v => Enumerable.Range(0, 4).Select(_ => v + Noise(random, 0.1f))).ToArray()).ToList();
        var copy = factors.Select(f => f.Select(v => v + Noise(random, 0.1f)).ToArray()).ToList();
        var spread = DisentanglementMetrics.Evaluate(chunked, factors);
        var single = DisentanglementMetrics.Evaluate(copy, factors);
        output.WriteLine($"chunks of 4: {spread}");
        Assert.True(spread.Mig < 0.1 && single.Mig > 0.9, $"MIG {spread.Mig} vs {single.Mig}");
        Assert.True(spread.Sap < 0.1, $"SAP {spread.Sap}");
        // DCI completeness likewise wants each factor in one dimension; DCI disentanglement does not mind.
        Assert.True(spread.DciCompleteness < 0.6 && spread.DciDisentanglement > 0.8, $"DCI {spread}");
        Assert.True(spread.Modularity > 0.95, $"modularity {spread.Modularity}");
        Assert.True(spread.FactorVae > 0.95, $"FactorVAE {spread.FactorVae}");
        Assert.True(spread.DciInformativeness > 0.95, $"DCI informativeness {spread.DciInformativeness}");
    }

    [Fact]
    public void OneDimensionCarryingTwoFactorsIsEntangledHoweverManyValuesEachHas()
    {
        // Dimension 0 holds a (2 values) and b (16 values) together, dimension 1 is noise: both factors are
        // read from dimension 0 alone, so it is not disentangled. Importances summed over one-vs-rest
        // classifiers without normalising would weigh b eight times as much as a and call it half so.
        var random = new Random(11);
        var factors = Enumerable.Range(0, 1600).Select(_ => new[] { random.Next(2), random.Next(16) }).ToList();
        var latents = factors.Select(f => new[] { (f[0] * 16) + f[1] + Noise(random, 0.1f), Noise(random, 4f) }).ToList();
        var (disentanglement, completeness, informativeness, _, _) = DisentanglementMetrics.Dci(latents, factors);
        output.WriteLine($"D {disentanglement:F3} C {completeness:F3} I {informativeness:F3}");
        Assert.True(informativeness > 0.9, $"informativeness {informativeness}");
        Assert.True(disentanglement < 0.2, $"disentanglement {disentanglement}");
        Assert.True(completeness > 0.7, $"completeness {completeness}");
    }

    [Fact]
    public void ASingleFactorCopiedIntoOneDimensionIsFullyDisentangled()
    {
        var random = new Random(13);
        var factors = Enumerable.Range(0, 600).Select(_ => new[] { random.Next(4) }).ToList();
        var latents = factors.Select(f => new[] { f[0] + Noise(random, 0.1f), Noise(random, 4f) }).ToList();
        var (disentanglement, _, informativeness, _, _) = DisentanglementMetrics.Dci(latents, factors);
        Assert.True(informativeness > 0.95, $"informativeness {informativeness}");
        Assert.True(disentanglement > 0.95, $"disentanglement {disentanglement}");
    }

    [Fact]
    public void DciImportanceFindsAFactorThatNoSingleDimensionsMutualInformationShows()
    {
        // Factor a is the sign of d0 · d1 (each dimension alone is uniform whatever a is, so its mutual
        // information with a is nil); factor b is copied into d3; d2 is noise. The importances must still
        // place a on d0 and d1 and b on d3, with each factor's accuracy reported in factor order.
        var random = new Random(19);
        var factors = new List<int[]>();
        var latents = new List<float[]>();
        for (int i = 0; i < 1600; i++)
        {
            float d0 = (float)((random.NextDouble() * 2) - 1), d1 = (float)((random.NextDouble() * 2) - 1);
            int b = random.Next(4);
            factors.Add([d0 * d1 > 0 ? 1 : 0, b]);
            latents.Add([d0, d1, Noise(random, 1f), b + Noise(random, 0.1f)]);
        }

        var mi = DisentanglementMetrics.MutualInformation(latents, factors);
        var dci = DisentanglementMetrics.Dci(latents, factors);
        output.WriteLine($"MI(d0, a) {mi[0, 0]:F3} MI(d1, a) {mi[1, 0]:F3}; importance of a: {string.Join(", ", dci.Importance.Select(r => r[0].ToString("F3")))}; accuracies {string.Join(", ", dci.InformativenessByFactor.Select(x => x.ToString("F3")))}");
        Assert.True(mi[0, 0] < 0.03 && mi[1, 0] < 0.03, $"MI of d0, d1 with a: {mi[0, 0]}, {mi[1, 0]}");
        Assert.True(dci.Importance[0][0] + dci.Importance[1][0] > 0.9, $"importance of d0 + d1 for a: {dci.Importance[0][0] + dci.Importance[1][0]}");
        Assert.True(dci.Importance[3][1] > 0.9, $"importance of d3 for b: {dci.Importance[3][1]}");
        Assert.Equal(1.0, dci.Importance.Sum(r => r[0]), 6);
        Assert.True(dci.InformativenessByFactor[0] > 0.85, $"accuracy for a {dci.InformativenessByFactor[0]}");
        Assert.True(dci.InformativenessByFactor[1] > 0.95, $"accuracy for b {dci.InformativenessByFactor[1]}");
        Assert.Equal(dci.InformativenessByFactor.Average(), dci.Informativeness, 12);
    }

    [Fact]
    public void ModularityPerDimensionSinglesOutTheDimensionThatMixesFactorsAndAveragesToTheScore()
    {
        // Dimensions 0 and 1 copy factors 0 and 1; dimension 2 holds factors 1 and 2 together; dimension 3 is constant.
        var factors = Factors();
        var random = new Random(17);
        var latents = factors.Select(f => new[] { f[0] + Noise(random, 0.1f), f[1] + Noise(random, 0.1f), (f[1] * 4) + f[2] + Noise(random, 0.1f), 0f }).ToList();
        var mi = DisentanglementMetrics.MutualInformation(latents, factors);
        var perDimension = DisentanglementMetrics.ModularityPerDimension(mi);
        output.WriteLine(string.Join(", ", perDimension.Select(m => m.ToString("F3"))));

        Assert.True(perDimension[0] > 0.95 && perDimension[1] > 0.95, $"copies {perDimension[0]}, {perDimension[1]}");
        Assert.True(perDimension[2] < 0.7, $"mixed {perDimension[2]}");
        Assert.Equal(0.0, perDimension[3]);
        Assert.Equal(perDimension.Average(), DisentanglementMetrics.Modularity(mi), 12);
    }

    [Fact]
    public void MismatchedInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => DisentanglementMetrics.Evaluate([[1f], [2f]], [[0]]));
    }
}
