using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using Deae.MLNet.Visualization;
using Spectre.Console;

namespace Deae.Cli.Commands;

/// <summary><c>deae train</c>: trains a DEAE or a baseline on a manifest and writes a model file and a swap grid.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Data set folder or manifest.csv.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Model file to write.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files." };
        var kind = new Option<ModelKind>("--kind") { Description = "Deae, GslAe, Autoencoder or BetaVae.", DefaultValueFactory = _ => ModelKind.Deae };
        var attributes = new Option<string[]?>("--attributes") { Description = "Attribute columns that get latent chunks (default: all).", AllowMultipleArgumentsPerToken = true };
        var layout = new Option<string?>("--layout") { Description = "Latent layout, e.g. letter:20,size:20,... (default: equal chunks)." };
        var latent = new Option<int>("--latent") { Description = "Latent dimension z.", DefaultValueFactory = _ => new DeaeArchitecture().LatentDimension };
        var width = new Option<int>("--width") { Description = "Base convolution width.", DefaultValueFactory = _ => new DeaeArchitecture().BaseWidth };
        var hidden = new Option<int>("--hidden") { Description = "Hidden fully connected width.", DefaultValueFactory = _ => new DeaeArchitecture().HiddenSize };
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 2000 };
        var groups = new Option<int>("--groups") { Description = "Groups per step.", DefaultValueFactory = _ => 8 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
        var loss = new Option<PixelLoss>("--loss") { Description = "Mse or L1.", DefaultValueFactory = _ => PixelLoss.Mse };
        var objective = new ObjectiveCliOptions(new DeaeTrainerOptions());
        var beta = new Option<double>("--beta") { Description = "β of the β-VAE.", DefaultValueFactory = _ => 4.0 };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write <output>.ckpt every N steps (0: at the end only).", DefaultValueFactory = _ => 0 };
        var resume = new Option<bool>("--resume") { Description = "Continue from <output>.ckpt." };
        var holdout = new Option<double>("--holdout") { Description = "Fraction of images held out of training; the objective is validated and colour swaps are scored on them.", DefaultValueFactory = _ => 0.0 };
        var command = new Command("train", "Train a DEAE (or GSL-AE, autoencoder, β-VAE) on a data set; writes the model file and a reconstruction/swap grid PNG.")
        {
            data, output, overwrite, kind, attributes, layout, latent, width, hidden, steps, groups, lr, loss, beta, seed, device, checkpointEvery, resume, holdout,
        };
        objective.AddTo(command);
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string modelPath = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            string gridPath = Path.ChangeExtension(modelPath, ".swaps.png");
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(modelPath + ".ckpt"))
            {
                throw new IOException($"--resume: the checkpoint '{Path.GetFullPath(modelPath + ".ckpt")}' does not exist.");
            }

            foreach (string file in resuming ? new[] { modelPath, gridPath } : new[] { modelPath, gridPath, modelPath + ".ckpt" })
            {
                CliRunner.EnsureFileWritable(file, replace);
            }

            var attributeList = CliRunner.SplitList(parse.GetValue(attributes));
            var all = DatasetReader.Read(parse.GetValue(data)!, attributeList);
            double heldFraction = parse.GetValue(holdout);
            if (heldFraction is < 0 or >= 1)
            {
                throw new ArgumentException($"--holdout {heldFraction}: the held-out fraction must be at least 0 (none) and below 1.");
            }

            var (images, heldOut) = heldFraction > 0 ? all.Split(heldFraction, parse.GetValue(seed)) : (all, all);
            int z = parse.GetValue(latent);
            var options = new DeaeTrainerOptions
            {
                Kind = parse.GetValue(kind),
                Architecture = new DeaeArchitecture { ImageSize = images.Width, Channels = images.Channels, BaseWidth = parse.GetValue(width), HiddenSize = parse.GetValue(hidden), LatentDimension = z },
                Attributes = attributeList,
                Layout = parse.GetValue(layout) is string text ? LatentLayout.Parse(text, z) : null,
                Steps = parse.GetValue(steps),
                GroupsPerBatch = parse.GetValue(groups),
                LearningRate = parse.GetValue(lr),
                PixelLoss = parse.GetValue(loss),
                Beta = parse.GetValue(beta),
                Seed = parse.GetValue(seed),
                Device = parse.GetValue(device)!,
                CheckpointPath = modelPath + ".ckpt",
                OverwriteCheckpoint = replace, // checked above, as for the model and the grid
                CheckpointEvery = parse.GetValue(checkpointEvery),
            };
            objective.Apply(parse, options);
            if (images.Channels == 1)
            {
                options.Architecture.Output = DecoderOutput.Logits;
            }

            // Held-out images, when there are any, also serve as validation data for the objective.
            using var model = TrainWithProgress(images, options, resuming ? options.CheckpointPath : null, heldFraction > 0 ? heldOut : null);
            model.Save(modelPath, replace);
            ModelGrid.SaveReconstructionsAndSwaps(model, heldOut, gridPath, columns: 10, seed: 7, replace);
            Console.WriteLine($"model    : {modelPath} ({model.Kind}, {model.Architecture}, layout {model.Layout}; trained on {model.Device})");
            Console.WriteLine($"grid     : {gridPath} (rows: X, reconstruction, Y, then Y's chunk of each attribute swapped into X)");
            Console.WriteLine(heldFraction > 0 ? $"scored on {heldOut.Count} held-out images" : "scored on training images");
            PrintColourSwaps(model, heldOut);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Trains under a progress bar that shows the step, the losses, images per second and, with
    /// <paramref name="validation"/> data, the last validation loss. Ctrl+C stops between steps; the last
    /// checkpoint is kept, so the run can be resumed.
    /// </summary>
    internal static DeaeModel TrainWithProgress(ImageDataset images, DeaeTrainerOptions options, string? resumeFrom, ImageDataset? validation = null)
    {
        DeaeModel model = null!;
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"training {options.Kind}", maxValue: options.Steps);
                    string validated = string.Empty;
                    var progress = new Progress<TrainingProgress>(p =>
                    {
                        task.Value = p.Step;
                        if (p.ValidationLosses is not null)
                        {
                            validated = $" | validation total={p.ValidationLosses["total"]:0.0000}";
                        }

                        task.Description = $"{options.Kind} step {p.Step}/{p.TotalSteps} " +
                            string.Join(" ", p.Losses.Select(l => $"{l.Key}={l.Value:0.0000}")) + $" |g|={p.GradientNorm:0.00} spread={p.CodeSpread:0.000} {p.ImagesPerSecond:0} img/s" + validated;
                    });
                    model = resumeFrom is null
                        ? DeaeTrainer.Train(images, validation, options, progress, cancellation.Token)
                        : DeaeTrainer.Resume(images, validation, options, resumeFrom, progress, cancellation.Token);
                    task.Value = options.Steps;
                });
        }
        catch (OperationCanceledException)
        {
            throw new OperationCanceledException(options.CheckpointPath is null
                ? "Training was cancelled."
                : $"Training was cancelled; the last checkpoint is '{options.CheckpointPath}' (continue with --resume).");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (model.RepeatedBackwardPasses > 0)
        {
            Console.WriteLine($"warning: {model.RepeatedBackwardPasses} backward pass(es) gave a non-finite gradient from a finite loss and were repeated (a CPU convolution fault of this machine; docs/training.md)");
        }

        if (model.ValidationHistory.Count > 0)
        {
            var first = model.ValidationHistory[0];
            var last = model.ValidationHistory[^1];
            Console.WriteLine($"validation: total {first.Losses["total"]:0.0000} at step {first.Step} -> {last.Losses["total"]:0.0000} at step {last.Step} " +
                $"({string.Join(" ", last.Losses.Where(l => l.Key != "total").Select(l => $"{l.Key}={l.Value:0.0000}"))})");
        }

        return model;
    }

    internal static void PrintColourSwaps(DeaeModel model, ImageDataset images)
    {
        foreach (string attribute in new[] { SwapEvaluator.Background, SwapEvaluator.FontColor })
        {
            if (model.Layout.Attributes.Contains(attribute) && images.Attributes.Any(a => a.Name == SwapEvaluator.Background) && images.Attributes.Any(a => a.Name == SwapEvaluator.FontColor))
            {
                var score = SwapEvaluator.Evaluate(model, images, attribute, pairs: 300, seed: 11);
                Console.WriteLine($"swap {attribute,-16}: target value {score.TargetRate:P1}, other colour kept {score.KeptRate:P1} ({score.Pairs} pairs)");
            }
        }
    }
}
