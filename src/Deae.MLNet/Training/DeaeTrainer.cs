using System.Diagnostics;
using Deae.MLNet.Data;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// Trains every model kind with one loop: Adam over batches of groups (or of plain images for the
/// non-group kinds), progress reports, cancellation, atomic checkpoints and exact resumption.
/// </summary>
public static class DeaeTrainer
{
    /// <summary>Trains a model on <paramref name="data"/> from scratch.</summary>
    /// <param name="data">Labelled images; size and channels must match the architecture.</param>
    /// <param name="options">Model kind, architecture and optimisation settings (not modified).</param>
    /// <param name="progress">Receives a report every <see cref="DeaeTrainerOptions.ReportEvery"/> steps.</param>
    /// <param name="cancellationToken">Stops training between steps (the last checkpoint is kept).</param>
    public static DeaeModel Train(ImageDataset data, DeaeTrainerOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(data, null, options, null, progress, cancellationToken);

    /// <summary>
    /// Trains a model on <paramref name="data"/> from scratch and scores the objective on
    /// <paramref name="validationData"/> every <see cref="DeaeTrainerOptions.ValidateEvery"/> steps
    /// (reported in <see cref="TrainingProgress.ValidationLosses"/> and kept in <see cref="DeaeModel.ValidationHistory"/>).
    /// Validation never changes the run: the weights equal those of the same run without it.
    /// </summary>
    /// <param name="data">Labelled training images.</param>
    /// <param name="validationData">Held-out images with the same geometry and attribute columns; null for none.</param>
    /// <param name="options">Model kind, architecture and optimisation settings (not modified).</param>
    /// <param name="progress">Receives a report every <see cref="DeaeTrainerOptions.ReportEvery"/> steps and after each validation.</param>
    /// <param name="cancellationToken">Stops training between steps (the last checkpoint is kept).</param>
    public static DeaeModel Train(ImageDataset data, ImageDataset? validationData, DeaeTrainerOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(data, validationData, options, null, progress, cancellationToken);

    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/> up to <see cref="DeaeTrainerOptions.Steps"/>. With the same
    /// data and options on the CPU, the result equals that of an uninterrupted run. The learning rate and the
    /// loss weights (swap, cycle, regulariser and its warm-up, β) may differ from the checkpoint's, e.g. to
    /// continue a run that diverged with a lower learning rate; the run then departs from the uninterrupted
    /// one from the checkpoint's step on. Everything else (kind, architecture, layout, data, seed, batch,
    /// pixel loss, interpolation and regulariser form) must match.
    /// </summary>
    public static DeaeModel Resume(ImageDataset data, DeaeTrainerOptions options, string checkpoint, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Resume(data, null, options, checkpoint, progress, cancellationToken);

    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/>, scoring <paramref name="validationData"/> as
    /// <see cref="Train(ImageDataset, ImageDataset?, DeaeTrainerOptions, IProgress{TrainingProgress}?, CancellationToken)"/> does.
    /// </summary>
    public static DeaeModel Resume(ImageDataset data, ImageDataset? validationData, DeaeTrainerOptions options, string checkpoint, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint);
        return Run(data, validationData, options, checkpoint, progress, cancellationToken);
    }

    private static DeaeModel Run(ImageDataset data, ImageDataset? validationData, DeaeTrainerOptions options, string? resumeFrom, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureLoaded();
        var architecture = options.Architecture.Clone();
        var (attributeIndices, layout) = Validate(data, options, architecture);
        torch.set_num_threads(options.Threads ?? Environment.ProcessorCount);
        var device = DeviceSelection.Resolve(options.Device);
        EnsureCheckpointWritable(options, resumeFrom);

        var network = CreateNetwork(architecture, options.Kind == ModelKind.BetaVae, options.Seed);
        network.to(device);
        var attributes = attributeIndices.Select(a => data.Attributes[a]).ToList();
        var model = new DeaeModel(options.Kind, architecture, layout, attributes, network, device, 0);
        try
        {
            Optimise(model, data, validationData, options, attributeIndices, resumeFrom, progress, cancellationToken);
            return model;
        }
        catch
        {
            model.Dispose(); // a failed run leaves no network behind in native memory
            throw;
        }
    }

    /// <summary>The training loop: Adam steps on <paramref name="model"/>'s network, reports, validation, checkpoints.</summary>
    private static void Optimise(DeaeModel model, ImageDataset data, ImageDataset? validationData, DeaeTrainerOptions options, int[] attributeIndices, string? resumeFrom, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var (network, architecture, layout, device) = (model.Network, model.Architecture, model.Layout, model.Device);
        using var optimizer = new ScalarSafeOptimizers.Adam(network.parameters(), options.LearningRate);
        var run = new TrainingCheckpoint.RunDescription(Fingerprint(options, architecture, layout, data), Hyperparameters(options));
        int start = resumeFrom is null ? 0 : TrainingCheckpoint.Load(resumeFrom, model, optimizer, run.Fingerprint);
        if (start > options.Steps)
        {
            throw new ArgumentException($"Checkpoint '{resumeFrom}' is at step {start}, beyond Steps ({options.Steps}); ask for at least {start} steps.", nameof(options));
        }

        model.TrainedSteps = start; // so that a resume with nothing left to do keeps the checkpoint's step
        bool ownsCheckpoint = resumeFrom is not null || options.OverwriteCheckpoint; // else the first save must not replace a file
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = options.LearningRate; // a resumed run may lower it; the checkpoint holds the old one
            group.InitialLearningRate = options.LearningRate;
        }

        bool grouped = options.Kind is ModelKind.Deae or ModelKind.GslAe;
        var sampler = grouped ? new GroupSampler(data, attributeIndices) : null;
        int groupSize = layout.Count + 1;
        int imagesPerStep = options.GroupsPerBatch * groupSize;
        using var generator = new Generator((ulong)options.Seed); // a CPU generator on every device (DeaeObjective draws on the CPU)
        using var frozen = FrozenCopyFor(options, network, device);
        using var objective = new DeaeObjective(network, layout, options, device, generator, frozen);
        using var validation = validationData is null ? null : new ValidationLoss(validationData, network, layout, options, device);
        var collapse = new CollapseMonitor(options.Kind == ModelKind.BetaVae ? 0 : options.CollapseRatio);
        var indices = new int[imagesPerStep];
        var watch = Stopwatch.StartNew();
        int reportedAt = start;
        network.train();
        for (int step = start; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();

            // Every random choice of a step derives from (seed, step), so a resumed run repeats it.
            long stepSeed = StepSeed(options.Seed, step);
            var random = new Random((int)(stepSeed & int.MaxValue));
            generator.manual_seed(stepSeed);
            if (sampler is not null)
            {
                sampler.Sample(options.GroupsPerBatch, random, indices);
            }
            else
            {
                for (int i = 0; i < indices.Length; i++)
                {
                    indices[i] = random.Next(data.Count);
                }
            }

            var images = PixelCodec.ToTensor(data, indices, architecture.Output, device);
            bool last = step + 1 == options.Steps;
            bool validate = validation is not null && ((options.ValidateEvery > 0 && (step + 1) % options.ValidateEvery == 0) || last);
            bool report = progress is not null && ((step + 1) % Math.Max(1, options.ReportEvery) == 0 || last || validate);
            Dictionary<string, Tensor> terms;
            float totalValue;
            double gradientNorm;
            for (int pass = 1; ; pass++)
            {
                generator.manual_seed(stepSeed); // a repeated pass draws what the first drew
                var (total, passTerms) = objective.Compute(images, options.GroupsPerBatch, step);
                (terms, totalValue) = (passTerms, total.item<float>());
                if (!float.IsFinite(totalValue))
                {
                    var bad = terms.FirstOrDefault(t => !float.IsFinite(t.Value.item<float>()));
                    throw new TrainingDivergedException(step + 1, bad.Key ?? "total", bad.Value is null ? totalValue : bad.Value.item<float>());
                }

                // The periodic checkpoint of the weights after `step` updates is written only now that their loss
                // is known to be finite: had it been written right after the update, a run that diverged would
                // leave exactly the weights whose loss is not finite, and resuming them would fail again at the
                // same step whatever the learning rate.
                if (pass == 1 && options.CheckpointPath is not null && options.CheckpointEvery > 0 && step > start && step % options.CheckpointEvery == 0)
                {
                    TrainingCheckpoint.Save(options.CheckpointPath, model, optimizer, step, run, ownsCheckpoint);
                    ownsCheckpoint = true;
                }

                optimizer.zero_grad();
                total.backward();
                // Measured every step (without a limit the gradients are multiplied by exactly 1): on a machine
                // where libtorch's CPU convolution backward pass returns NaN at random (docs/training.md), a
                // finite loss can still give a NaN gradient, which must never reach the weights. The fault is
                // random per pass, so the pass is repeated; a gradient that stays non-finite is a divergence.
                gradientNorm = nn.utils.clip_grad_norm_(network.parameters(), options.GradientClipNorm ?? double.PositiveInfinity);
                if (double.IsFinite(gradientNorm))
                {
                    break;
                }

                if (pass == BackwardPasses)
                {
                    throw new TrainingDivergedException(step + 1, gradientNorm, pass);
                }

                model.RepeatedBackwardPasses++;
            }

            optimizer.step();

            model.TrainedSteps = step + 1;
            Dictionary<string, float>? validationLosses = null;
            if (validate)
            {
                watch.Stop(); // images per second counts training only
                validationLosses = validation!.Compute(step);
                watch.Start();
                model.AddValidation(new ValidationResult(step + 1, validationLosses));
            }

            if (report)
            {
                var values = terms.ToDictionary(t => t.Key, t => t.Value.item<float>());
                values["total"] = totalValue;
                double seconds = watch.Elapsed.TotalSeconds;
                progress!.Report(new TrainingProgress(step + 1, options.Steps, values, (step + 1 - reportedAt) * imagesPerStep / Math.Max(seconds, 1e-9), validationLosses, gradientNorm, objective.CodeSpread));
                reportedAt = step + 1;
                watch.Restart();
            }

            collapse.Observe(step + 1, objective.CodeSpread);
        }

        if (options.CheckpointPath is not null)
        {
            TrainingCheckpoint.Save(options.CheckpointPath, model, optimizer, model.TrainedSteps, run, ownsCheckpoint);
        }

        network.eval();
    }

    // Backward passes tried per step before a non-finite gradient counts as a divergence.
    private const int BackwardPasses = 8;

    private static readonly Lock s_initialisation = new();

    /// <summary>
    /// Builds the network with weights drawn from <paramref name="seed"/>. TorchSharp's layer
    /// initialisers draw from the process-wide generator, so building is serialised: two runs started
    /// at once still get the weights their seeds imply.
    /// </summary>
    private static DeaeNetwork CreateNetwork(DeaeArchitecture architecture, bool variational, int seed) =>
        Build(() => new DeaeNetwork(architecture, variational), seed);

    /// <summary>
    /// The frozen copy the regulariser's gradient route needs: of the encoder for
    /// <see cref="RegulariserGradient.DecoderOnly"/>, of the decoder for <see cref="RegulariserGradient.EncoderOnly"/>;
    /// null otherwise. Built under the seed so that it does not move the process-wide generator unseeded.
    /// </summary>
    internal static FrozenCopy? FrozenCopyFor(DeaeTrainerOptions options, DeaeNetwork network, Device device)
    {
        if (options.Kind != ModelKind.Deae)
        {
            return null;
        }

        var architecture = options.Architecture;
        return options.RegulariserGradient switch
        {
            RegulariserGradient.DecoderOnly => new FrozenCopy(Build(() => new Encoder(architecture, variational: false), options.Seed), network.Encoder, device),
            RegulariserGradient.EncoderOnly => new FrozenCopy(Build(() => new Decoder(architecture), options.Seed), network.Decoder, device),
            _ => null,
        };
    }

    /// <summary>Builds a module under the initialisation lock, the process-wide generator seeded with <paramref name="seed"/>.</summary>
    internal static T Build<T>(Func<T> build, int seed)
    {
        lock (s_initialisation)
        {
            torch.manual_seed(seed);
            return build();
        }
    }

    /// <summary>Checks options against the data; returns the attribute indices and the latent layout.</summary>
    private static (int[] Attributes, LatentLayout Layout) Validate(ImageDataset data, DeaeTrainerOptions options, DeaeArchitecture architecture)
    {
        if (options.Kind == ModelKind.BetaVae && options.Architecture.Output == DecoderOutput.Logits && options.PixelLoss == PixelLoss.L1)
        {
            throw new ArgumentException("PixelLoss L1 does not apply to a logits decoder (binary images use cross-entropy).");
        }

        Positive(options.Steps, nameof(options.Steps));
        Positive(options.GroupsPerBatch, nameof(options.GroupsPerBatch));
        Positive(options.InterpolationsPerGroup, nameof(options.InterpolationsPerGroup));
        Positive(options.ValidationGroups, nameof(options.ValidationGroups));
        // libtorch aborts the process on a thread count below 1 (an error TorchSharp does not catch).
        if (options.Threads is int threads)
        {
            Positive(threads, nameof(options.Threads));
        }

        if (options.GradientClipNorm is double limit && !(limit > 0))
        {
            throw new ArgumentException($"GradientClipNorm ({limit}) must be positive, or null for no clipping.");
        }

        if (!(options.LearningRate > 0) || options.SwapWeight < 0 || options.CycleWeight < 0 || !(options.EffectiveRegulariserWeight >= 0) || options.Beta < 0)
        {
            throw new ArgumentException("LearningRate must be positive and SwapWeight, CycleWeight, RegulariserWeight and Beta not negative.");
        }

        if (options.CheckpointEvery < 0 || options.ValidateEvery < 0 || options.RegulariserWarmupSteps < 0 || options.CycleWarmupSteps < 0)
        {
            throw new ArgumentException($"CheckpointEvery ({options.CheckpointEvery}), ValidateEvery ({options.ValidateEvery}), RegulariserWarmupSteps ({options.RegulariserWarmupSteps}) and CycleWarmupSteps ({options.CycleWarmupSteps}) must not be negative.");
        }

        if (!(options.CollapseRatio >= 0 && options.CollapseRatio < 1))
        {
            throw new ArgumentException($"CollapseRatio ({options.CollapseRatio}) must be at least 0 (0: never stop) and below 1.");
        }

        architecture.Validate();
        if (data.Width != architecture.ImageSize || data.Height != architecture.ImageSize)
        {
            throw new ArgumentException($"The images are {data.Width}x{data.Height} but Architecture.ImageSize is {architecture.ImageSize}; resize the images or change the option.");
        }

        if (data.Channels != architecture.Channels)
        {
            throw new ArgumentException($"The images have {data.Channels} channel(s) but Architecture.Channels is {architecture.Channels}.");
        }

        var names = options.Attributes ?? options.Layout?.Attributes ?? data.Attributes.Select(a => a.Name).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("Attributes: at least one attribute column is needed.");
        }

        var indices = names.Select(n => data.Attributes.Select(a => a.Name).ToList().IndexOf(n) is var i && i >= 0
            ? i
            : throw new ArgumentException($"Attribute column '{n}' is not in the data (columns: {string.Join(", ", data.Attributes.Select(a => a.Name))}).")).ToArray();
        var layout = options.Layout ?? LatentLayout.Equal(names, architecture.LatentDimension);
        layout.EnsureDimension(architecture.LatentDimension);
        if (!layout.Attributes.SequenceEqual(names))
        {
            throw new ArgumentException($"The latent layout's attributes ({string.Join(", ", layout.Attributes)}) differ from the attribute columns ({string.Join(", ", names)}).");
        }

        return (indices, layout);
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} ({value}) must be positive.");
        }
    }

    /// <summary>
    /// A fresh run must not replace another run's checkpoint unasked; a resumed run replaces the one it
    /// continues (its own), and any other existing file only with <see cref="DeaeTrainerOptions.OverwriteCheckpoint"/>.
    /// </summary>
    private static void EnsureCheckpointWritable(DeaeTrainerOptions options, string? resumeFrom)
    {
        if (options.CheckpointPath is null || options.OverwriteCheckpoint || !File.Exists(options.CheckpointPath))
        {
            return;
        }

        string target = Path.GetFullPath(options.CheckpointPath);
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (resumeFrom is null || !string.Equals(target, Path.GetFullPath(resumeFrom), comparison))
        {
            throw new IOException($"Checkpoint '{target}' already exists (another run's?); resume from it with DeaeTrainer.Resume, choose another CheckpointPath, or set OverwriteCheckpoint to replace it.");
        }
    }

    /// <summary>What must match for a checkpoint to continue this run (the step count and the <see cref="Hyperparameters"/> may differ).</summary>
    private static string Fingerprint(DeaeTrainerOptions o, DeaeArchitecture a, LatentLayout layout, ImageDataset data) =>
        $"kind={o.Kind}; arch={a}; layout={layout}; images={data.Count}x{data.Width}x{data.Height}x{data.Channels}; seed={o.Seed}; groups={o.GroupsPerBatch}; " +
        $"loss={o.PixelLoss}; interp={o.InterpolationsPerGroup}/{o.Interpolation}" +
        (o.RegulariserGradient == RegulariserGradient.EncoderAndDecoder ? string.Empty : $"; reg-gradient={o.RegulariserGradient}") +
        (o.RegulariserDistance == RegulariserDistance.L1 ? string.Empty : $"; reg-distance={o.RegulariserDistance}") +
        (o.RegulariserScale == RegulariserScale.CodeUnits ? string.Empty : $"; reg-scale={o.RegulariserScale}") +
        (o.RegulariserTarget == RegulariserTarget.Code ? string.Empty : $"; reg-target={o.RegulariserTarget}") +
        (o.RegulariserChunks == RegulariserChunks.Others ? string.Empty : $"; reg-chunks={o.RegulariserChunks}");

    /// <summary>The numbers a resumed run may change: learning rate and loss weights (recorded in the checkpoint).</summary>
    private static string Hyperparameters(DeaeTrainerOptions o) =>
        $"lr={o.LearningRate}; w=({o.SwapWeight},{o.CycleWeight},{o.EffectiveRegulariserWeight},{o.Beta})" +
        (o.GradientClipNorm is null ? string.Empty : $"; clip={o.GradientClipNorm}") +
        (o.RegulariserWarmupSteps <= 0 ? string.Empty : $"; reg-warmup={o.RegulariserWarmupSteps}") +
        (o.CycleWarmupSteps <= 0 ? string.Empty : $"; cycle-warmup={o.CycleWarmupSteps}");

    /// <summary>A well-mixed seed per (run seed, step) (SplitMix64 finaliser).</summary>
    internal static long StepSeed(int seed, int step)
    {
        ulong x = ((ulong)(uint)seed << 32) ^ (uint)step;
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (long)((x ^ (x >> 31)) & long.MaxValue);
    }
}
