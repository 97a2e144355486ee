using System.CommandLine;
using System.Text;
using System.Text.Json;
using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae evaluate</c>: trains each model kind with the same budget on the same data and compares
/// controllability, interpolation validity and disentanglement metrics on held-out images.
/// </summary>
internal static class EvaluateCommand
{
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
        var saveModels = new Option<string?>("--save-models") { Description = "Keep each trained model in this folder as <kind>.deae (created if missing), to explore or re-evaluate it later, with <kind>.split.json recording the images it was trained on." };
        var models = new Option<string?>("--models")
        {
            Description = "Evaluate the models kept by --save-models in this folder (<kind>.deae) instead of training. Give the --seed and --holdout of the run that trained them: they choose the held-out images (a model whose <kind>.split.json records other training images is refused).",
        };
        var unseen = new Option<string?>("--unseen")
        {
            Description = "A second labelled set with the same attributes in which some (e.g. the colours) take values the models never saw: measures how the other attributes' chunks drift (the paper's Section 3.2).",
        };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed." };
        var objective = new ObjectiveCliOptions(DemoConfiguration.TrainerOptions(1));
        var command = new Command("evaluate", "Compare DEAE, GSL-AE, β-VAE and the plain autoencoder trained with the same budget: controllability, interpolation validity, MIG/SAP/DCI/modularity/FactorVAE.")
        {
            data, kinds, steps, width, hidden, latent, holdout, pairs, unseen, json, markdown, saveModels, models, overwrite, seed,
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

            if (parse.GetValue(pairs) < 1)
            {
                throw new ArgumentException($"--pairs {parse.GetValue(pairs)}: at least one edited pair per attribute is needed to judge the edits.");
            }

            var kindList = (CliRunner.SplitList(parse.GetValue(kinds)) ?? ["Deae", "GslAe", "BetaVae", "Autoencoder"]).Select(ParseKind).ToList();
            if (kindList.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ArgumentException($"--kinds: '{repeated.Key}' is given more than once (same seed, same data: the same model twice).");
            }

            string? saveFolder = parse.GetValue(saveModels), loadFolder = parse.GetValue(models);
            Option[] training = [saveModels, steps, width, hidden, latent, .. objective.All];
            if (loadFolder is not null)
            {
                // Nothing is trained, so every training option would be silently dropped.
                CliRunner.RefuseUnused(parse, "--models (nothing is trained)", training);
            }

            string ModelPath(string folder, ModelKind kind) => Path.Combine(folder, $"{kind}.deae");
            if (saveFolder is not null)
            {
                if (File.Exists(saveFolder))
                {
                    throw new ArgumentException($"--save-models '{saveFolder}' is a file; give a folder for the models.");
                }

                foreach (var kind in kindList)
                {
                    CliRunner.EnsureFileWritable(ModelPath(saveFolder, kind), replace);
                    CliRunner.EnsureFileWritable(EvaluationSplit.PathFor(ModelPath(saveFolder, kind)), replace);
                }
            }

            if (loadFolder is not null && kindList.Where(k => !File.Exists(ModelPath(loadFolder, k))).Select(k => (ModelKind?)k).FirstOrDefault() is { } absent)
            {
                throw new FileNotFoundException($"--models '{loadFolder}' has no {absent}.deae (--kinds asks for {string.Join(", ", kindList)}).", ModelPath(loadFolder, absent));
            }

            var all = DatasetReader.Read(parse.GetValue(data)!);
            var output = all.Channels == 1 ? DecoderOutput.Logits : DecoderOutput.Tanh;

            // What the reports record: outputs are not settings, and without training the training defaults did not
            // apply; λ_reg's default depends on the images, so the weight used is recorded.
            var settings = RunRecord.Settings(parse, [json, markdown, overwrite, .. loadFolder is null ? [] : training]);
            if (loadFolder is null)
            {
                settings[objective.RegulariserWeightName] ??= DeaeTrainerOptions.DefaultRegulariserWeight(output);
            }

            var (train, heldOut) = all.Split(parse.GetValue(holdout), parse.GetValue(seed));
            var split = EvaluationSplit.Of(all, train, parse.GetValue(seed), parse.GetValue(holdout));
            if (loadFolder is null)
            {
                // Before any training (every attribute gets a chunk): a held-out part in which one shows a single
                // value cannot judge its edits. Kept models are checked against their own chunks when evaluated.
                ModelEvaluator.CheckHeldOut(heldOut, all.Attributes.Select(a => a.Name));
            }
            // Read before any training, so that a wrong path or geometry fails at once.
            var unseenSet = parse.GetValue(unseen) is string unseenPath ? DatasetReader.Read(unseenPath) : null;
            if (unseenSet is not null && (unseenSet.Width != all.Width || unseenSet.Height != all.Height || unseenSet.Channels != all.Channels))
            {
                throw new ArgumentException($"--unseen '{parse.GetValue(unseen)}' holds {unseenSet.Channels}x{unseenSet.Width}x{unseenSet.Height} images; --data holds {all.Channels}x{all.Width}x{all.Height}.");
            }

            if (unseenSet is not null && UnseenValueEvaluator.NovelAttributes(all.Attributes, unseenSet).Count == 0)
            {
                throw new ArgumentException($"--unseen '{parse.GetValue(unseen)}' has no value that --data lacks ({string.Join(", ", all.Attributes.Select(a => a.Name))}); the test needs values the models never saw.");
            }

            // Beside the markdown, a picture of how each model draws the unseen images.
            string? unseenGrid = unseenSet is not null && parse.GetValue(markdown) is string mdPath ? Path.ChangeExtension(mdPath, ".unseen.png") : null;
            CliRunner.EnsureFileWritable(unseenGrid, replace);
            var unseenShown = unseenSet is null ? [] : UnseenGridImages(unseenSet, parse.GetValue(seed));
            var unseenRows = new List<byte[]>(unseenShown);
            string? halfwayPath = parse.GetValue(markdown) is string markdownPath ? Path.ChangeExtension(markdownPath, ".halfway.png") : null;
            CliRunner.EnsureFileWritable(halfwayPath, replace);
            var halfway = new HalfwayGrid(heldOut);

            // Oracles learn from the training images (real ones); edits are judged on held-out images.
            var oracles = AttributeOracles.Fit(train, parse.GetValue(seed));
            Console.WriteLine("oracle accuracy on held-out real images: " + EvaluationMarkdown.Accuracies(oracles.RealImageAccuracy));
            if (oracles.HalfwayBackgroundAccuracy.Count > 0)
            {
                Console.WriteLine("... with the background repainted half-way to another seen colour: " + EvaluationMarkdown.Accuracies(oracles.HalfwayBackgroundAccuracy));
            }

            var reports = new List<ModelReport>();
            var trainedSteps = new List<int>();
            if (saveFolder is not null)
            {
                Directory.CreateDirectory(saveFolder);
            }

            DeaeModel Train(ModelKind kind)
            {
                var options = DemoConfiguration.TrainerOptions(parse.GetValue(steps));
                options.Kind = kind;
                options.Seed = parse.GetValue(seed);
                objective.Apply(parse, options);
                options.Architecture = new DeaeArchitecture
                {
                    ImageSize = all.Width, Channels = all.Channels, BaseWidth = parse.GetValue(width), HiddenSize = parse.GetValue(hidden), LatentDimension = parse.GetValue(latent),
                    Output = output,
                };
                return TrainCommand.TrainWithProgress(train, options, resumeFrom: null);
            }

            (string File, IReadOnlyList<string> Attributes)? firstLayout = null;
            DeaeModel Load(string file, ModelKind kind)
            {
                var model = DeaeModel.Load(file);
                try
                {
                    var a = model.Architecture;
                    if (model.Kind != kind)
                    {
                        throw new InvalidDataException($"'{file}' holds a {model.Kind} model, not the {kind} its name says.");
                    }

                    if (a.ImageSize != all.Width || a.ImageSize != all.Height || a.Channels != all.Channels)
                    {
                        throw new ArgumentException($"'{file}' was trained on {a.Channels}x{a.ImageSize}x{a.ImageSize} images; --data '{parse.GetValue(data)}' holds {all.Channels}x{all.Width}x{all.Height}.");
                    }

                    if (model.Layout.Attributes.FirstOrDefault(name => !all.Attributes.Any(x => x.Name == name)) is { } missing)
                    {
                        throw new ArgumentException($"'{file}' has a chunk for attribute '{missing}', which --data '{parse.GetValue(data)}' does not label.");
                    }

                    // Pairs are drawn attribute by attribute in layout order and bystanders are the layout's other
                    // attributes: models with different layouts would be judged on different pairs and criteria.
                    firstLayout ??= (file, model.Layout.Attributes);
                    if (!model.Layout.Attributes.SequenceEqual(firstLayout.Value.Attributes))
                    {
                        throw new ArgumentException($"'{file}' has chunks for ({string.Join(", ", model.Layout.Attributes)}); '{firstLayout.Value.File}' has ({string.Join(", ", firstLayout.Value.Attributes)}). Models compared on the same pairs need the same attributes in the same order.");
                    }

                    split.CheckBeside(file);
                    Console.WriteLine($"{kind}: {file} ({model.TrainedSteps} steps)");
                    return model;
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            }

            // Every kept model is loaded and checked before the first is evaluated: a refusal must not come after
            // minutes of evaluating the others.
            var kept = new Dictionary<ModelKind, DeaeModel>();
            if (loadFolder is not null)
            {
                try
                {
                    foreach (var kind in kindList)
                    {
                        kept[kind] = Load(ModelPath(loadFolder, kind), kind);
                    }
                }
                catch
                {
                    foreach (var loaded in kept.Values)
                    {
                        loaded.Dispose();
                    }

                    throw;
                }
            }

            foreach (var kind in kindList)
            {
                using var model = loadFolder is not null ? kept[kind] : Train(kind);
                if (saveFolder is not null)
                {
                    // Saved before it is evaluated: the training is the expensive part.
                    model.Save(ModelPath(saveFolder, kind), replace);
                    split.WriteBeside(ModelPath(saveFolder, kind), replace);
                    Console.WriteLine($"model -> {ModelPath(saveFolder, kind)}");
                }

                var report = ModelEvaluator.Evaluate(model, heldOut, oracles, parse.GetValue(pairs), parse.GetValue(seed));
                if (unseenSet is not null)
                {
                    report = report with { UnseenValues = UnseenValueEvaluator.Evaluate(model, heldOut, unseenSet, seed: parse.GetValue(seed)) };
                    unseenRows.AddRange(model.Reconstruct(unseenShown));
                }

                halfway.Add(report);
                reports.Add(report);
                trainedSteps.Add(model.TrainedSteps);
                Console.WriteLine(EvaluationMarkdown.Row(report));
            }

            bool dSpritesLike = SpriteOracle.CanRead(all);
            string table = RunRecord.MarkdownLine(parse, settings) + EvaluationMarkdown.Markdown(reports, trainedSteps, oracles, train.Count, heldOut.Count, dSpritesLike);
            if (unseenGrid is not null)
            {
                ImageGrid.SavePng(unseenRows, all.Width, all.Height, all.Channels, unseenShown.Count, unseenGrid, replace, scale: 2);
                table += $"{Environment.NewLine}Reconstructions of unseen images: {Path.GetFileName(unseenGrid)} (first row: images with unseen values; then one row per model: {string.Join(", ", reports.Select(r => r.Model))}).{Environment.NewLine}";
            }

            if (halfwayPath is not null && halfway.Save(halfwayPath, replace) is string explained)
            {
                table += $"{Environment.NewLine}{explained}{Environment.NewLine}";
            }

            Console.WriteLine(table);
            if (parse.GetValue(markdown) is string md)
            {
                AtomicFile.WriteAllBytes(md, Encoding.UTF8.GetBytes(table), replace);
            }

            if (parse.GetValue(json) is string path)
            {
                // "steps" is the shared budget; models loaded with different budgets give theirs by name.
                object budget = trainedSteps.Distinct().Count() == 1 ? trainedSteps[0] : reports.Select((r, i) => (r.Model, Steps: trainedSteps[i])).ToDictionary(x => x.Model, x => x.Steps);
                var document = new { command = RunRecord.CommandLine(parse), settings, steps = budget, train = train.Count, held_out = heldOut.Count, oracle_accuracy = oracles.RealImageAccuracy, oracle_accuracy_halfway_background = oracles.HalfwayBackgroundAccuracy, models = reports, published = dSpritesLike ? PublishedScores.DSprites : [] };
                AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(document, CliRunner.ReportJson), replace);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Up to ten images of the unseen set, seeded, for the reconstruction grid.</summary>
    private static List<byte[]> UnseenGridImages(ImageDataset unseen, int seed)
    {
        var order = Enumerable.Range(0, unseen.Count).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(10).Select(i => unseen.GetPixels(i).ToArray()).ToList();
    }

    /// <summary>A model kind by name (any case); numbers and unknown names are refused, naming the option.</summary>
    private static ModelKind ParseKind(string name) =>
        Enum.GetNames<ModelKind>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<ModelKind>(known)
            : throw new ArgumentException($"--kinds: '{name}' is not a model kind ({string.Join(", ", Enum.GetNames<ModelKind>())}).");
}
