using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae augment-test</c>: the paper's augmentation test (Table 1). Letter classifiers on images trained on a
/// small set, on the small set plus each model's synthesized images and on a large reference set, scored with
/// ML.NET's metrics on a test set.
/// </summary>
internal static class AugmentTestCommand
{
    /// <summary>Images per row of the picture: enough to show the spread of the synthesized values.</summary>
    private const int PictureColumns = 12;

    public static Command Create()
    {
        var defaults = new AugmentationTestOptions();
        var data = new Option<string>("--data", "-d") { Description = "The small training set (e.g. D_S of --preset table1); the models synthesize from it.", Required = true };
        var test = new Option<string>("--test") { Description = "The test set (e.g. D_test).", Required = true };
        var large = new Option<string?>("--large") { Description = "A large reference training set (e.g. D_L): the accuracy more real data buys." };
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Model files (trained on --data, as in the paper) whose synthesized images are added to it; none: the real sets only.",
            AllowMultipleArgumentsPerToken = true,
        };
        var label = new Option<string>("--label") { Description = "The attribute the classifiers predict; its chunk is never mixed.", DefaultValueFactory = _ => defaults.LabelAttribute };
        var count = new Option<int>("--count", "-n") { Description = "Images each model synthesizes.", DefaultValueFactory = _ => defaults.SynthesizedImages };
        var interpolation = new Option<double>("--interpolation") { Description = "Probability that each other attribute of a new image is a mix of two seen values.", DefaultValueFactory = _ => defaults.Interpolation };
        var steps = new Option<int>("--classifier-steps") { Description = "Adam steps (64 images each) of each image classifier.", DefaultValueFactory = _ => defaults.ClassifierSteps };
        var repeats = new Option<int>("--repeats") { Description = "Classifiers (seeds) per training set; the report gives their mean and spread.", DefaultValueFactory = _ => defaults.Repeats };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda (models and classifiers).", DefaultValueFactory = _ => defaults.Device };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the results as a markdown table, and beside it <name>.samples.png: real small-set and test images, then each model's synthesized ones." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files." };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthesis and the first classifier.", DefaultValueFactory = _ => defaults.Seed };
        var by = new Option<string[]?>("--by")
        {
            Description = "Attributes of the test set (e.g. background_color) by whose values each set's test accuracy is also split.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("augment-test", "Augment a small set with each model's synthesized images and measure what they do for a letter classifier (ML.NET metrics on a test set), beside the small and a large real set.")
        {
            data, test, large, models, label, count, interpolation, steps, repeats, device, json, markdown, overwrite, seed, by,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            bool replace = parse.GetValue(overwrite);
            var settings = RunRecord.Settings(parse, [json, markdown, overwrite]);
            string? markdownPath = parse.GetValue(markdown);
            string? picture = markdownPath is null ? null : Path.ChangeExtension(markdownPath, ".samples.png");
            CliRunner.EnsureFileWritable(parse.GetValue(json), replace);
            CliRunner.EnsureFileWritable(markdownPath, replace);
            CliRunner.EnsureFileWritable(picture, replace);
            var options = new AugmentationTestOptions
            {
                LabelAttribute = parse.GetValue(label)!,
                SynthesizedImages = parse.GetValue(count),
                Interpolation = parse.GetValue(interpolation),
                ClassifierSteps = parse.GetValue(steps),
                Repeats = parse.GetValue(repeats),
                Device = parse.GetValue(device)!,
                Seed = parse.GetValue(seed),
                BreakdownAttributes = CliRunner.SplitList(parse.GetValue(by)) ?? [],
            };
            if (options.SynthesizedImages < 1 || options.Interpolation is < 0 or > 1 || options.ClassifierSteps < 1 || options.Repeats < 1)
            {
                throw new ArgumentException($"--count ({options.SynthesizedImages}), --classifier-steps ({options.ClassifierSteps}) and --repeats ({options.Repeats}) must be at least 1 and --interpolation ({options.Interpolation}) a probability in [0, 1].");
            }

            string smallPath = parse.GetValue(data)!, testPath = parse.GetValue(test)!;
            string? largePath = parse.GetValue(large);
            var small = DatasetReader.Read(smallPath);
            var testSet = DatasetReader.Read(testPath);
            var largeSet = largePath is null ? null : DatasetReader.Read(largePath);
            var files = parse.GetValue(models) ?? [];
            var synthesized = new List<SynthesizedSet>();
            foreach (string file in files)
            {
                using var model = DeaeModel.Load(file, options.Device);
                string name = $"{model.Kind} ({Path.GetFileName(file)})";
                synthesized.Add(Refer(() => AugmentationEvaluator.Synthesize(model, small, options, name), smallPath, testPath, largePath));
                Console.WriteLine($"{name}: {options.SynthesizedImages} images synthesized from --data '{smallPath}' ({small.Count} images)");
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var report = Refer(
                () => AugmentationEvaluator.Evaluate(small, testSet, synthesized, options, largeSet, new Deae.MLNet.Training.SynchronousProgress<AugmentedTrainingSet>(s =>
                    Console.WriteLine($"  {s.Name}: test micro-accuracy {s.MicroAccuracy:0.000} ± {s.MicroAccuracyStandardDeviation:0.000} ({watch.Elapsed.TotalSeconds:0} s)"))),
                smallPath,
                testPath,
                largePath);
            string table = Table(report, smallPath, testPath, largePath);
            Console.WriteLine(table);
            if (markdownPath is not null)
            {
                ImageGrid.SavePng(PictureRows(small, testSet, synthesized), small.Width, small.Height, small.Channels, PictureColumns, picture!, replace, scale: 2);
                string caption = $"![Rows: small set, test set, then each model's synthesized images ({string.Join(", ", synthesized.Select(s => s.Model))})]({Path.GetFileName(picture)})";
                AtomicFile.WriteAllBytes(markdownPath, Encoding.UTF8.GetBytes(RunRecord.MarkdownLine(parse, settings) + table + "\n" + caption + "\n"), replace);
            }

            if (parse.GetValue(json) is string jsonPath)
            {
                var document = new { command = RunRecord.CommandLine(parse), settings, small = smallPath, test = testPath, large = largePath, options = new { options.SynthesizedImages, options.Interpolation, options.ClassifierSteps, options.Seed }, report };
                AtomicFile.WriteAllBytes(jsonPath, JsonSerializer.SerializeToUtf8Bytes(document, CliRunner.ReportJson), replace);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Runs <paramref name="work"/>; the library speaks of "the small set", "the test set" and "the large set": say which files those are.</summary>
    private static T Refer<T>(Func<T> work, string small, string test, string? large)
    {
        try
        {
            return work();
        }
        catch (ArgumentException ex)
        {
            string largeNote = large is null ? string.Empty : $"; large set: --large '{large}'";
            throw new ArgumentException($"{ex.Message} (small set: --data '{small}'; test set: --test '{test}'{largeNote})", ex);
        }
    }

    /// <summary>The picture's rows: the first images of the small set and of the test set, then each model's first synthesized images.</summary>
    private static List<byte[]> PictureRows(ImageDataset small, ImageDataset test, IReadOnlyList<SynthesizedSet> synthesized)
    {
        var rows = new List<byte[]>();
        void Row(ImageDataset set)
        {
            // Evenly spaced picks show more of a set's values than its first images (manifests are ordered by attribute).
            for (int c = 0; c < PictureColumns; c++)
            {
                rows.Add(c < set.Count ? set.GetPixels((int)((long)c * set.Count / PictureColumns)).ToArray() : new byte[small.Width * small.Height * small.Channels]);
            }
        }

        Row(small);
        Row(test);
        foreach (var set in synthesized)
        {
            Row(set.Images);
        }
        return rows;
    }

    private static string Table(AugmentationReport r, string small, string test, string? large)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Augmentation test: {r.Label} classifiers on images (the DEAE encoder's convolutional trunk with a label head, cross-entropy; the paper's ResNet-18 scaled down), {r.Repeats} seed(s) per training set, scored on `{test}` ({r.TestRows} images) with ML.NET's multiclass metrics. Small set `{small}`{(large is null ? string.Empty : $", large set `{large}`")}. Label agreement: how often {r.Judge} reads a synthesized image's {r.Label} as the one it was given.");
        text.AppendLine();
        text.AppendLine("| training set | real images | synthesized | training accuracy | test micro-accuracy (mean ± sd) | per seed | macro-accuracy | log-loss | label agreement of synthesized |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in r.TrainingSets)
        {
            string seeds = string.Join(" / ", s.MicroAccuracies.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture)));
            string agreement = s.SynthesizedLabelAgreement is double a ? a.ToString("0.000", CultureInfo.InvariantCulture) : "–";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.RealImages} | {s.SynthesizedImages} | {s.TrainingAccuracy:0.000} | {s.MicroAccuracy:0.000} ± {s.MicroAccuracyStandardDeviation:0.000} | {seeds} | {s.MacroAccuracy:0.000} | {s.LogLoss:0.000} | {agreement} |");
        }

        AppendBreakdown(text, r);
        return text.ToString();
    }

    /// <summary>One table per breakdown attribute: a row per test-set value, a column per training set.</summary>
    private static void AppendBreakdown(StringBuilder text, AugmentationReport r)
    {
        var sets = r.TrainingSets;
        // Every set's list holds the same entries in the same order, so one index reads a value across sets.
        foreach (var attribute in sets[0].AccuracyByValue.Select((v, i) => (Value: v, Index: i)).GroupBy(e => e.Value.Attribute))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Test accuracy by {attribute.Key} (mean over seeds):");
            text.AppendLine();
            text.AppendLine($"| {attribute.Key} | test images | in small set | {string.Join(" | ", sets.Select(s => s.Name))} |");
            text.AppendLine($"|---|---|---|{string.Concat(sets.Select(_ => "---|"))}");
            foreach (var (value, index) in attribute)
            {
                string accuracies = string.Join(" | ", sets.Select(s => s.AccuracyByValue[index].Accuracy.ToString("0.000", CultureInfo.InvariantCulture)));
                text.AppendLine(CultureInfo.InvariantCulture, $"| {value.Value} | {value.TestImages} | {(value.InSmallSet ? "yes" : "no")} | {accuracies} |");
            }
        }
    }
}
