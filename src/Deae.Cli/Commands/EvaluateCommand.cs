using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae evaluate</c>: trains each model kind with the same budget on the same data and compares
/// controllability, interpolation validity and disentanglement metrics on held-out images.
/// </summary>
internal static class EvaluateCommand
{
    // Published dSprites values of unsupervised models (best reported, InfoGAN-CR Table 1).
    private static readonly (string Model, string Values)[] s_published =
    [
        ("β-VAE", "FactorVAE 0.63, DCI 0.41, SAP 0.55, MIG 0.21"),
        ("β-TCVAE", "MIG 0.45"),
        ("FactorVAE", "FactorVAE 0.82, MIG 0.15"),
    ];

    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Labelled data set (folder or manifest).", Required = true };
        var kinds = new Option<string[]?>("--kinds") { Description = "Models to compare (default: Deae,GslAe,BetaVae,Autoencoder).", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Training steps per model (the shared budget).", DefaultValueFactory = _ => 2000 };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => 16, Description = "Base convolution width." };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 256, Description = "Hidden fully connected width." };
        var latent = new Option<int>("--latent") { DefaultValueFactory = _ => 20, Description = "Latent dimension z." };
        var holdout = new Option<double>("--holdout") { DefaultValueFactory = _ => 0.2, Description = "Fraction of images held out for evaluation." };
        var pairs = new Option<int>("--pairs") { DefaultValueFactory = _ => 200, Description = "Edited pairs per attribute." };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the comparison as a markdown table." };
        var saveModels = new Option<string?>("--save-models") { Description = "Keep each trained model in this folder as <kind>.deae (created if missing), to explore or re-evaluate it later." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed." };
        var objective = new ObjectiveCliOptions(DemoConfiguration.TrainerOptions(1));
        var command = new Command("evaluate", "Compare DEAE, GSL-AE, β-VAE and the plain autoencoder trained with the same budget: controllability, interpolation validity, MIG/SAP/DCI/modularity/FactorVAE.")
        {
            data, kinds, steps, width, hidden, latent, holdout, pairs, json, markdown, saveModels, overwrite, seed,
        };
        objective.AddTo(command);
        command.SetAction(parse => CliRunner.Run(() =>
        {
            bool replace = parse.GetValue(overwrite);
            foreach (string? file in new[] { parse.GetValue(json), parse.GetValue(markdown) })
            {
                CliRunner.EnsureFileWritable(file, replace);
            }

            // Every kind is checked before the first one trains (a typo must not cost hours).
            if (parse.GetValue(holdout) is <= 0 or >= 1)
            {
                throw new ArgumentException($"--holdout {parse.GetValue(holdout)}: the held-out fraction must be between 0 and 1 (edits are judged on held-out images).");
            }

            var kindList = (CliRunner.SplitList(parse.GetValue(kinds)) ?? ["Deae", "GslAe", "BetaVae", "Autoencoder"]).Select(ParseKind).ToList();
            if (kindList.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ArgumentException($"--kinds: '{repeated.Key}' is given more than once (same seed, same data: the same model twice).");
            }

            string? modelFolder = parse.GetValue(saveModels);
            string? ModelPath(ModelKind kind) => modelFolder is null ? null : Path.Combine(modelFolder, $"{kind}.deae");
            if (modelFolder is not null && File.Exists(modelFolder))
            {
                throw new ArgumentException($"--save-models '{modelFolder}' is a file; give a folder for the models.");
            }

            foreach (var kind in kindList)
            {
                CliRunner.EnsureFileWritable(ModelPath(kind), replace);
            }

            var all = DatasetReader.Read(parse.GetValue(data)!);
            var (train, heldOut) = all.Split(parse.GetValue(holdout), parse.GetValue(seed));
            // Oracles learn from the training images (real ones); edits are judged on held-out images.
            var oracles = AttributeOracles.Fit(train, parse.GetValue(seed));
            Console.WriteLine("oracle accuracy on held-out real images: " + string.Join(", ", oracles.RealImageAccuracy.Select(a => $"{a.Key} {a.Value:P1}")));
            var reports = new List<ModelReport>();
            if (modelFolder is not null)
            {
                Directory.CreateDirectory(modelFolder);
            }

            foreach (var kind in kindList)
            {
                var options = DemoConfiguration.TrainerOptions(parse.GetValue(steps));
                options.Kind = kind;
                options.Seed = parse.GetValue(seed);
                objective.Apply(parse, options);
                options.Architecture = new DeaeArchitecture
                {
                    ImageSize = all.Width, Channels = all.Channels, BaseWidth = parse.GetValue(width), HiddenSize = parse.GetValue(hidden), LatentDimension = parse.GetValue(latent),
                    Output = all.Channels == 1 ? DecoderOutput.Logits : DecoderOutput.Tanh,
                };
                using var model = TrainCommand.TrainWithProgress(train, options, resumeFrom: null);
                if (ModelPath(kind) is string modelPath)
                {
                    // Saved before it is evaluated: the training is the expensive part.
                    model.Save(modelPath, replace);
                    Console.WriteLine($"model -> {modelPath}");
                }

                var report = ModelEvaluator.Evaluate(model, heldOut, oracles, parse.GetValue(pairs), parse.GetValue(seed));
                reports.Add(report);
                Console.WriteLine(Row(report));
            }

            string table = Markdown(reports, oracles, parse.GetValue(steps), train.Count, heldOut.Count, SpriteOracle.CanRead(all));
            Console.WriteLine(table);
            if (parse.GetValue(markdown) is string md)
            {
                AtomicFile.WriteAllBytes(md, Encoding.UTF8.GetBytes(table), replace);
            }

            if (parse.GetValue(json) is string path)
            {
                var document = new { steps = parse.GetValue(steps), train = train.Count, held_out = heldOut.Count, oracle_accuracy = oracles.RealImageAccuracy, models = reports };
                AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true }), replace);
            }

            return 0;
        }));
        return command;
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A model kind by name (any case); numbers and unknown names are refused, naming the option.</summary>
    private static ModelKind ParseKind(string name) =>
        Enum.GetNames<ModelKind>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<ModelKind>(known)
            : throw new ArgumentException($"--kinds: '{name}' is not a model kind ({string.Join(", ", Enum.GetNames<ModelKind>())}).");

    private static string Row(ModelReport r) =>
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

    private static string Markdown(List<ModelReport> reports, AttributeOracles oracles, int steps, int train, int heldOut, bool dSpritesLike)
    {
        var text = new StringBuilder();
        text.AppendLine($"Same budget for every model: {steps} steps on {train} images; scores on {heldOut} held-out images.");
        text.AppendLine($"Oracle accuracy on held-out real images: {string.Join(", ", oracles.RealImageAccuracy.Select(a => $"{a.Key} {a.Value:P1}"))}."
            + (dSpritesLike ? " Orientation is read up to the shape's rotational symmetry (a square turned a quarter looks the same)." : ""));
        text.AppendLine();
        text.AppendLine("| model | MIG | SAP | DCI-D | DCI-C | DCI-I | modularity | FactorVAE | swap: target | swap: others kept | interp.: others kept | swap residual | swap residual ÷ code scale | interp. validity |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var report in reports)
        {
            text.AppendLine(Row(report));
        }

        text.AppendLine();
        text.AppendLine("Per attribute (swap target / swap others kept / half-way interpolation others kept):");
        text.AppendLine();
        foreach (var report in reports)
        {
            text.AppendLine($"- {report.Model}: " + string.Join("; ", report.Control.Select(c => $"{c.Attribute} {F(c.SwapTarget)}/{F(c.SwapOthersKept)}/{F(c.InterpolationOthersKept)}")));
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

        // The published values are for dSprites; beside another data set's scores they would compare nothing.
        if (dSpritesLike)
        {
            text.AppendLine();
            text.AppendLine("Published dSprites values of unsupervised models (best reported, InfoGAN-CR Table 1): " + string.Join("; ", s_published.Select(p => $"{p.Model}: {p.Values}")) + ".");
        }

        return text.ToString();
    }
}
