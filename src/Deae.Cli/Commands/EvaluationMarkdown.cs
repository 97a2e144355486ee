using System.Globalization;
using System.Text;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;

namespace Deae.Cli.Commands;

/// <summary>The markdown report of <c>deae evaluate</c>: the comparison table and its per-attribute and per-chunk details.</summary>
internal static class EvaluationMarkdown
{
    /// <summary>One row of the comparison table.</summary>
    public static string Row(ModelReport r) =>
        $"| {r.Model} | {F(r.Disentanglement.Mig)} | {F(r.Disentanglement.Sap)} | {F(r.Disentanglement.DciDisentanglement)} | {F(r.Disentanglement.DciCompleteness)} | {F(r.Disentanglement.DciInformativeness)} | {F(r.Disentanglement.Modularity)} | {F(r.Disentanglement.FactorVae)} | " +
        $"{F(r.Control.Average(c => c.SwapTarget))} | {F(r.Control.Average(c => c.SwapOthersKept))} | {F(r.Control.Average(c => c.InterpolationOthersKept))} | {F(r.Control.Average(c => c.SwapResidual))} | {F(r.Control.Average(c => c.SwapResidual) / r.CodeScale)} | {(r.InterpolationValidity is double v ? F(v) : "–")} |";

    /// <summary>Mean, over edits of every other attribute, of how often <paramref name="attribute"/> kept its value.</summary>
    private static double Bystander(ModelReport report, string attribute, Func<AttributeControl, IReadOnlyDictionary<string, double>> kept) =>
        report.Control.Where(c => c.Attribute != attribute).Select(c => kept(c)[attribute]).DefaultIfEmpty(double.NaN).Average();

    /// <summary>How much less often, on average over attributes, an edit keeps a bystander than a plain reconstruction reads it right.</summary>
    private static double BystanderLoss(ModelReport report, Func<AttributeControl, IReadOnlyDictionary<string, double>> kept) =>
        report.ReconstructionRead.Average(r => r.Value - Bystander(report, r.Key, kept));

    /// <summary>Per chunk of the report's layout: its mean modularity and, per dimension, the attribute it shares most information with.</summary>
    private static IEnumerable<string> ChunkModularity(ModelReport report)
    {
        var layout = LatentLayout.Parse(report.Layout, report.MutualInformation.Count);
        for (int k = 0; k < layout.Count; k++)
        {
            var dimensions = Enumerable.Range(layout.Offset(k), layout.Sizes[k]).ToArray();
            var top = dimensions.Select(d =>
            {
                var row = report.MutualInformation[d];
                int best = Array.IndexOf(row, row.Max());
                return $"{layout.Attributes[best]} {row[best]:0.00}";
            });
            yield return $"{layout.Attributes[k]} {F(dimensions.Average(d => report.ModularityByDimension[d]))} ({string.Join(", ", top)})";
        }
    }

    /// <summary>Per attribute, the share of its DCI importance that each chunk holds, and how well the trees read it from the whole code.</summary>
    private static IEnumerable<string> ChunkImportance(ModelReport report)
    {
        var layout = LatentLayout.Parse(report.Layout, report.Disentanglement.DciImportance.Count);
        for (int f = 0; f < layout.Count; f++)
        {
            var shares = Enumerable.Range(0, layout.Count).Select(k =>
                $"{layout.Attributes[k]} {Enumerable.Range(layout.Offset(k), layout.Sizes[k]).Sum(d => report.Disentanglement.DciImportance[d][f]):0.00}");
            yield return $"{layout.Attributes[f]} {F(report.Disentanglement.DciInformativenessByFactor[f])} [{string.Join(", ", shares)}]";
        }
    }

    /// <summary>
    /// The comparison as markdown: the table, then the per-attribute and per-chunk details.
    /// <paramref name="trainedSteps"/> holds each report's training steps, in order.
    /// </summary>
    public static string Markdown(IReadOnlyList<ModelReport> reports, IReadOnlyList<int> trainedSteps, AttributeOracles oracles, int train, int heldOut, bool dSpritesLike)
    {
        var text = new StringBuilder();
        text.AppendLine(trainedSteps.Distinct().Count() == 1
            ? $"Same budget for every model: {trainedSteps[0]} steps on {train} images; scores on {heldOut} held-out images."
            : $"Not the same budget: {string.Join(", ", reports.Select((r, i) => $"{r.Model} {trainedSteps[i]} steps"))} ({train} training images); scores on {heldOut} held-out images.");
        text.AppendLine($"Oracle accuracy on held-out real images: {Accuracies(oracles.RealImageAccuracy)}."
            + (dSpritesLike ? " Orientation is read up to the shape's rotational symmetry (a square turned a quarter looks the same)." : ""));
        if (oracles.HalfwayBackgroundAccuracy.Count > 0)
        {
            text.AppendLine($"On the same images with the background repainted half-way to another seen colour (the colours half-way background interpolations draw): {Accuracies(oracles.HalfwayBackgroundAccuracy)}.");
        }

        text.AppendLine();
        text.AppendLine("| model | MIG | SAP | DCI-D | DCI-C | DCI-I | modularity | FactorVAE | swap: target | swap: others kept | interp.: others kept | swap residual | swap residual ÷ code scale | interp. validity |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var report in reports)
        {
            text.AppendLine(Row(report));
        }

        // The published values are for dSprites; beside another data set's scores they would compare nothing.
        if (dSpritesLike)
        {
            foreach (var p in PublishedScores.DSprites)
            {
                text.AppendLine($"| {p.Model} (published: unsupervised, real dSprites, {p.Source}) | {F(p.Mig)} | {F(p.Sap)} | {F(p.DciDisentanglement)} | – | – | – | {F(p.FactorVae)} | – | – | – | – | – | – |");
            }
        }

        text.AppendLine();
        text.AppendLine("Per attribute (swap target / swap others kept / half-way interpolation others kept / three-quarter interpolation target):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", report.Control.Select(c => $"{c.Attribute} {F(c.SwapTarget)}/{F(c.SwapOthersKept)}/{F(c.InterpolationOthersKept)}/{F(c.InterpolationTarget)}")));
        }

        // Which attribute "others kept" loses, against how often plain reconstructions read right at all.
        text.AppendLine();
        text.AppendLine("Per attribute as a bystander (read as the original's: plain reconstruction / after swaps of the other attributes / after half-way interpolations of them):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", report.ReconstructionRead.Select(r =>
                $"{r.Key} {F(r.Value)}/{F(Bystander(report, r.Key, c => c.SwapKeptByAttribute))}/{F(Bystander(report, r.Key, c => c.InterpolationKeptByAttribute))}")) +
                $" — mean loss against reconstruction: swaps {F(BystanderLoss(report, c => c.SwapKeptByAttribute))}, interpolations {F(BystanderLoss(report, c => c.InterpolationKeptByAttribute))}");
        }

        // Validity is one number; which of its checks fail says what the half-way images get wrong.
        if (reports.Any(r => r.InterpolationValidityFailures is not null))
        {
            text.AppendLine();
            text.AppendLine("Why half-way background interpolations were invalid (fraction failing each check: border not moved / border not uniform / font colour changed / letter changed):");
            text.AppendLine();
            foreach (var report in reports)
            {
                if (report.InterpolationValidityFailures is { } f)
                {
                    text.AppendLine($"- {report.Model}: {F(f.NotMoved)} / {F(f.BorderNotUniform)} / {F(f.FontColorChanged)} / {F(f.LetterChanged)}");
                }
            }
        }

        // Residuals are in code units; a model with smaller codes scores smaller residuals for free.
        text.AppendLine();
        text.AppendLine("Code scale (mean per-dimension standard deviation of held-out codes) and the residuals divided by it (swap / half-way interpolation):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: scale {F(report.CodeScale)}; relative residual {F(report.Control.Average(c => c.SwapResidual) / report.CodeScale)} / {F(report.Control.Average(c => c.InterpolationResidual) / report.CodeScale)}");
        }

        // Scale-free: how well each chunk keeps its attribute's values apart, which bounds what a swap can draw.
        text.AppendLine();
        text.AppendLine("Chunk separation (per attribute, variance of its value means over the variance within values, in its own chunk of the held-out codes):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", report.ChunkSeparation.Select(c => $"{c.Key} {c.Value:0.00}")));
        }

        // Modularity averages over dimensions; this shows which chunks pull it down and what their dimensions encode.
        text.AppendLine();
        text.AppendLine("Modularity by chunk (mean over the chunk's dimensions; per dimension, the attribute it shares most information with and that mutual information in nats):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", ChunkModularity(report)));
        }

        // Trees read a factor from any mix of dimensions, so this finds an attribute that no single dimension's MI shows.
        text.AppendLine();
        text.AppendLine("Where each attribute is held (held-out accuracy of its DCI tree classifiers on the whole code, and the share of their importance in each chunk):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", ChunkImportance(report)));
        }

        // The paper's Section 3.2: scale-free drift, because the raw MSE rewards a model for small codes.
        if (reports.FirstOrDefault(r => r.UnseenValues is not null)?.UnseenValues is { } first)
        {
            text.AppendLine();
            text.AppendLine($"Unseen values ({string.Join(", ", first.NovelAttributes)} never seen in training; {first.UnseenImages} images, each paired with a held-out image sharing every other value). "
                + "Per kept attribute: drift of its chunk for seen → unseen pairs (mean squared distance over that of random held-out pairs; 0 is perfect), "
                + "raw MSE seen → unseen (the paper's measure, in code units), and how often the chunk is nearest its own value's mean, held-out → unseen:");
            text.AppendLine();
            foreach (var report in reports.Where(r => r.UnseenValues is not null))
            {
                var u = report.UnseenValues!;
                text.AppendLine($"- {report.Model}: all kept chunks {F(u.SeenDrift)} → {F(u.UnseenDrift)}; " + string.Join("; ", u.Kept.Select(k =>
                    $"{k.Attribute} {F(k.SeenDrift)} → {F(k.UnseenDrift)} (MSE {F(k.SeenMse)} → {F(k.UnseenMse)}; read {F(k.SeenChunkAccuracy)} → {F(k.UnseenChunkAccuracy)})")));
            }
        }

        return text.ToString();
    }

    /// <summary>An oracle accuracy per attribute, as "letter 100.0 %, size 99.5 %".</summary>
    internal static string Accuracies(IReadOnlyDictionary<string, double> accuracy) => string.Join(", ", accuracy.Select(a => $"{a.Key} {a.Value:P1}"));

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string F(double? value) => value is double v ? F(v) : "–";
}
