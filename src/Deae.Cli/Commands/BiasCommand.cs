using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.IO;
using Deae.MLNet.Model;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae bias</c>: the paper's bias-removal test (Table 2). Letter classifiers trained on a biased set,
/// on the images and on each model's latents with and without the bias attribute's chunk, scored with ML.NET's
/// metrics on an unbiased test set.
/// </summary>
internal static class BiasCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "The biased training set (e.g. D_B of --preset table2-bias).", Required = true };
        var test = new Option<string>("--test") { Description = "The unbiased test set (e.g. D_T).", Required = true };
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Model files (trained on --data, as in the paper) whose latents the classifiers use; none: the image classifier only.",
            AllowMultipleArgumentsPerToken = true,
        };
        var unbiased = new Option<string?>("--unbiased") { Description = "An unbiased training set (e.g. D_UB): the same classifiers trained on it, the accuracy the bias costs." };
        var label = new Option<string>("--label") { Description = "The attribute the classifiers predict.", DefaultValueFactory = _ => "letter" };
        var bias = new Option<string>("--bias") { Description = "The attribute entangled with the label in --data; its chunk is dropped.", DefaultValueFactory = _ => "background_color" };
        var iterations = new Option<int>("--iterations") { Description = "SdcaMaximumEntropy's maximum passes.", DefaultValueFactory = _ => 100 };
        var imageSteps = new Option<int>("--image-steps")
        {
            Description = "Adam steps (64 images each) of the convolutional classifier on images (the paper's ResNet-18 stand-in); 0 leaves it out.",
            DefaultValueFactory = _ => new BiasRemovalOptions().ImageClassifierSteps,
        };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda (models and the image classifier).", DefaultValueFactory = _ => "auto" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the results as a markdown table." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files." };
        var seed = new Option<int>("--seed") { Description = "Seed of the classifiers.", DefaultValueFactory = _ => 1 };
        var command = new Command("bias", "Remove a dataset bias: letter classifiers on images and on latents without the bias attribute's chunk, trained on a biased set and scored (ML.NET metrics) on an unbiased one.")
        {
            data, test, models, unbiased, label, bias, iterations, imageSteps, device, json, markdown, overwrite, seed,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            bool replace = parse.GetValue(overwrite);
            var settings = RunRecord.Settings(parse, [json, markdown, overwrite]);
            CliRunner.EnsureFileWritable(parse.GetValue(json), replace);
            CliRunner.EnsureFileWritable(parse.GetValue(markdown), replace);
            var options = new BiasRemovalOptions
            {
                LabelAttribute = parse.GetValue(label)!,
                BiasAttribute = parse.GetValue(bias)!,
                Iterations = parse.GetValue(iterations),
                ImageClassifierSteps = parse.GetValue(imageSteps),
                Device = parse.GetValue(device)!,
                Seed = parse.GetValue(seed),
            };

            var trainingSets = new List<(string Option, string Path)> { ("--data", parse.GetValue(data)!) };
            if (parse.GetValue(unbiased) is string unbiasedPath)
            {
                trainingSets.Add(("--unbiased", unbiasedPath));
            }

            string testPath = parse.GetValue(test)!;
            var testSet = DatasetReader.Read(testPath);
            var sets = trainingSets.Select(s => DatasetReader.Read(s.Path)).ToList();
            var files = parse.GetValue(models) ?? [];
            var loaded = new List<DeaeModel>();
            try
            {
                foreach (string file in files)
                {
                    loaded.Add(DeaeModel.Load(file, options.Device));
                }

                var names = files.Select((f, i) => $"{loaded[i].Kind} ({Path.GetFileName(f)})").ToList();
                var reports = new List<(string TrainedOn, BiasRemovalReport Report)>();
                foreach (var ((option, path), set) in trainingSets.Zip(sets))
                {
                    Console.WriteLine($"classifiers trained on {option} '{path}' ({set.Count} images), tested on --test '{testPath}' ({testSet.Count} images)");
                    BiasRemovalReport report;
                    try
                    {
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        report = BiasRemovalEvaluator.Evaluate(
                            set, testSet, loaded, options, names, new Deae.MLNet.Training.SynchronousProgress<BiasClassifierResult>(c => Console.WriteLine($"  {c.Model ?? "images"}, {c.Features}: micro-accuracy {c.MicroAccuracy:0.000} ({watch.Elapsed.TotalSeconds:0} s)")));
                    }
                    catch (ArgumentException ex)
                    {
                        // The library speaks of "the training set" and "the test set": say which files those are.
                        throw new ArgumentException($"{ex.Message} (training set: {option} '{path}'; test set: --test '{testPath}')", ex);
                    }

                    reports.Add((path, report));
                    Console.WriteLine(Table(path, report));
                }

                if (parse.GetValue(markdown) is string md)
                {
                    AtomicFile.WriteAllBytes(md, Encoding.UTF8.GetBytes(RunRecord.MarkdownLine(parse, settings) + Markdown(reports, testPath)), replace);
                }

                if (parse.GetValue(json) is string jsonPath)
                {
                    var document = new { command = RunRecord.CommandLine(parse), settings, test = testPath, results = reports.Select(r => new { trained_on = r.TrainedOn, report = r.Report }) };
                    AtomicFile.WriteAllBytes(jsonPath, JsonSerializer.SerializeToUtf8Bytes(document, CliRunner.ReportJson), replace);
                }

                return 0;
            }
            finally
            {
                loaded.ForEach(m => m.Dispose());
            }
        }));
        return command;
    }

    private static string Markdown(IReadOnlyList<(string TrainedOn, BiasRemovalReport Report)> reports, string testPath)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Bias test: {reports[0].Report.Label} classifiers scored on `{testPath}` ({reports[0].Report.TestRows} images) with ML.NET's multiclass metrics. `image CNN`: the DEAE encoder's convolutional trunk with a label head, trained with cross-entropy on the images (the paper's ResNet-18, scaled down); latents: ML.NET SdcaMaximumEntropy, each dimension scaled to zero mean and unit variance.");
        text.AppendLine();
        foreach (var (trainedOn, report) in reports)
        {
            text.AppendLine(Table(trainedOn, report));
        }

        return text.ToString();
    }

    /// <summary>One training set's classifiers as a markdown table, with a line on how biased the set is.</summary>
    private static string Table(string trainedOn, BiasRemovalReport r)
    {
        static string Rate(double? value) => value is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Trained on `{trainedOn}` ({r.TrainRows} images; {r.Label}–{r.Bias} dependence (NMI) {r.TrainDependence:0.000}, test set {r.TestDependence:0.000}; {r.UnseenCombinationShare:P1} of test images show a {r.Label} with a {r.Bias} it never had in training):");
        text.AppendLine();
        text.AppendLine("| model | features | dims | micro-accuracy | macro-accuracy | log-loss | accuracy, combinations seen in training | accuracy, combinations never seen |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var c in r.Classifiers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Model ?? "–"} | {c.Features} | {c.FeatureCount} | {Rate(c.MicroAccuracy)} | {Rate(c.MacroAccuracy)} | {c.LogLoss:0.000} | {Rate(c.SeenCombinationAccuracy)} | {Rate(c.UnseenCombinationAccuracy)} |");
        }

        return text.ToString();
    }
}
