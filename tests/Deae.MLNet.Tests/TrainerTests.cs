using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.IO;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class TrainerTests
{
    /// <summary>4 letters, 2 sizes, 4 font and 4 background colours, 2 faces at 16×16: 256 images.</summary>
    internal static ImageDataset Tiny() => FontsGenerator.Generate(new FontsOptions
    {
        Letters = "ABCD",
        Sizes = ["medium", "large"],
        FontColors = ["red", "yellow", "blue", "green"],
        BackgroundColors = ["silver", "purple", "cyan", "orange"],
        MaxFonts = 2,
        ImageSize = 16,
    });

    internal static DeaeTrainerOptions TinyOptions(int steps, ModelKind kind = ModelKind.Deae) => new()
    {
        Kind = kind,
        Architecture = new DeaeArchitecture { ImageSize = 16, BaseWidth = 4, HiddenSize = 32, LatentDimension = 10 },
        Steps = steps,
        GroupsPerBatch = 2,
        Threads = 1,
        Device = "cpu",
        ReportEvery = 1,
    };

    /// <summary>Settings under which the 16×16 set is learned in about a minute on 2 cores (the slow tests).</summary>
    internal static DeaeTrainerOptions LearningOptions() => new()
    {
        Architecture = new DeaeArchitecture { ImageSize = 16, BaseWidth = 16, HiddenSize = 256, LatentDimension = 20 },
        Steps = 600,
        GroupsPerBatch = 8,
        RegulariserWeight = 0.1,
        Device = "cpu",
    };

    /// <summary>
    /// The objective of a fresh tiny network (weights from seed 5) on two groups of the tiny set, with a
    /// frozen encoder copy when the options ask for one. Each <see cref="Compute"/> replays the same draws.
    /// </summary>
    private sealed class TinyObjective : IDisposable
    {
        private readonly ImageDataset _data = Tiny();
        private readonly TorchSharp.torch.Generator _generator;
        private readonly FrozenCopy? _frozen;
        private readonly DeaeObjective _objective;
        private readonly TorchSharp.torch.Tensor _images;

        public TinyObjective(DeaeTrainerOptions options)
        {
            TorchRuntime.EnsureLoaded(); // before any torch object: a field initialiser would run first
            _generator = new(1);
            TorchSharp.torch.manual_seed(5);
            Network = new DeaeNetwork(options.Architecture, variational: false);
            _frozen = DeaeTrainer.FrozenCopyFor(options, Network, TorchSharp.torch.CPU);
            Layout = LatentLayout.Equal(_data.Attributes.Select(a => a.Name).ToList(), options.Architecture.LatentDimension);
            _objective = new DeaeObjective(Network, Layout, options, TorchSharp.torch.CPU, _generator, _frozen);
            var indices = new int[2 * 6];
            new GroupSampler(_data, [0, 1, 2, 3, 4]).Sample(2, new Random(1), indices);
            _images = PixelCodec.ToTensor(_data, indices, options.Architecture.Output, TorchSharp.torch.CPU);
        }

        public DeaeNetwork Network { get; }

        public LatentLayout Layout { get; }

        /// <summary>The two groups' images, [12, C, H, W]: centre, P_1 … P_5, centre, P_1 … P_5.</summary>
        public TorchSharp.torch.Tensor Images => _images;

        /// <summary>Zeroes the decoder's first layer, so that it draws every latent as the same image.</summary>
        public void MakeTheDecoderIgnoreItsLatent()
        {
            using (TorchSharp.torch.no_grad())
            {
                foreach (var (_, parameter) in Network.Decoder.named_parameters().Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal)))
                {
                    parameter.zero_();
                }
            }
        }

        /// <summary>The code spread the objective measured in the last <see cref="Compute"/>.</summary>
        public float CodeSpread => _objective.CodeSpread;

        public (TorchSharp.torch.Tensor Total, Dictionary<string, TorchSharp.torch.Tensor> Terms) Compute(int step)
        {
            _generator.manual_seed(1);
            return _objective.Compute(_images, 2, step);
        }

        public void Dispose()
        {
            _objective.Dispose();
            _images.Dispose();
            _frozen?.Dispose();
            _generator.Dispose();
            Network.Dispose();
        }
    }

    private static byte[] Weights(DeaeModel model) => DeaeModel.WeightsToBytes(model.Network);

    [Fact]
    public void AnInterruptedAndResumedRunEndsWithTheSameWeights()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        using var straight = DeaeTrainer.Train(data, TinyOptions(6));

        var first = TinyOptions(3);
        first.CheckpointPath = temp.Combine("run.ckpt");
        using (DeaeTrainer.Train(data, first))
        {
        }

        var rest = TinyOptions(6);
        rest.CheckpointPath = temp.Combine("run.ckpt");
        using var resumed = DeaeTrainer.Resume(data, rest, temp.Combine("run.ckpt"));
        Assert.Equal(6, resumed.TrainedSteps);
        Assert.Equal(Weights(straight), Weights(resumed));

        // A different seed is a different run: the same number of steps gives other weights.
        var other = TinyOptions(6);
        other.Seed = 2;
        using var differentRun = DeaeTrainer.Train(data, other);
        Assert.NotEqual(Weights(straight), Weights(differentRun));
    }

    [Fact]
    public void TheSwapTermAveragesBothSwapDirectionsAndTheRecombinationEachAgainstTheImageItMustGive()
    {
        using var objective = new TinyObjective(TinyOptions(1, ModelKind.GslAe));
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (_, terms) = objective.Compute(0);
        Assert.Equal(["recon", "swap"], terms.Keys.Order());

        // The same latents built by hand from the paper's definition, one image at a time.
        var layout = objective.Layout;
        int m = layout.Count, z = layout.Dimension;
        var codes = objective.Network.Encoder.forward(objective.Images).data<float>().ToArray();
        float[] Code(int row) => codes[(row * z)..((row + 1) * z)];
        float[] WithChunk(float[] target, float[] donor, int k)
        {
            var result = target.ToArray();
            donor.AsSpan(layout.Range(k)).CopyTo(result.AsSpan(layout.Offset(k)));
            return result;
        }

        var latents = new List<(float[] Code, int Image, int Part)>();
        for (int centre = 0; centre < 2 * (m + 1); centre += m + 1)
        {
            var recombined = new float[z];
            for (int k = 0; k < m; k++)
            {
                int partner = centre + 1 + k; // P_k shares attribute k with C: swapping chunk k changes neither
                latents.Add((WithChunk(Code(centre), Code(partner), k), centre, 0));
                latents.Add((WithChunk(Code(partner), Code(centre), k), partner, 1));
                recombined = WithChunk(recombined, Code(partner), k);
            }

            latents.Add((recombined, centre, 2)); // every P_k's chunk k together must give C
        }

        var decoded = objective.Network.Decoder.forward(TorchSharp.torch.tensor(latents.SelectMany(l => l.Code).ToArray(), [latents.Count, z]));
        var targets = objective.Images.index_select(0, TorchSharp.torch.tensor(latents.Select(l => (long)l.Image).ToArray()));
        var perImage = (decoded - targets).square().mean([1, 2, 3]).data<float>().ToArray();
        double Part(int part) => Enumerable.Range(0, latents.Count).Where(i => latents[i].Part == part).Average(i => (double)perImage[i]);
        Assert.Equal((Part(0) + Part(1) + Part(2)) / 3, terms["swap"].item<float>(), 5);
    }

    [Fact]
    public void ACheckpointFromAnotherConfigurationIsRefused()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        var options = TinyOptions(2);
        options.CheckpointPath = temp.Combine("run.ckpt");
        using (DeaeTrainer.Train(data, options))
        {
        }

        var wider = TinyOptions(4);
        wider.Architecture.BaseWidth = 8;
        var error = Assert.Throws<InvalidDataException>(() => DeaeTrainer.Resume(data, wider, temp.Combine("run.ckpt")));
        Assert.Contains("different run configuration", error.Message);
        Assert.Contains(temp.Combine("run.ckpt"), error.Message);
    }

    [Theory]
    [InlineData(ModelKind.GslAe, false)]
    [InlineData(ModelKind.BetaVae, true)]
    [InlineData(ModelKind.Autoencoder, true)]
    public void EveryKindAndOutputSurvivesSaveAndLoad(ModelKind kind, bool binary)
    {
        var data = Tiny();
        var options = TinyOptions(3, kind);
        if (binary)
        {
            data = Data.Sprites.SpritesGenerator.Generate(new Data.Sprites.SpritesOptions { ImageSize = 16, MaxImages = 64, PositionCount = 4 });
            options.Architecture.Channels = 1;
            options.Architecture.Output = DecoderOutput.Logits;
        }

        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(data, options);
        model.Save(temp.Combine("m.deae"), overwrite: false);
        using var loaded = DeaeModel.Load(temp.Combine("m.deae"), "cpu");
        Assert.Equal((kind, options.Architecture.Output, options.Architecture.Channels, 3), (loaded.Kind, loaded.Architecture.Output, loaded.Architecture.Channels, loaded.TrainedSteps));
        var images = Enumerable.Range(0, 4).Select(i => data.GetPixels(i).ToArray()).ToList();
        Assert.Equal(model.Reconstruct(images), loaded.Reconstruct(images));
    }

    [Fact]
    public void SavedModelLoadsWithIdenticalOutputsAndDamagedFilesAreNamed()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(data, TinyOptions(2));
        string path = temp.Combine("tiny.deae");
        model.Save(path, overwrite: false);
        Assert.Throws<IOException>(() => model.Save(path, overwrite: false));

        using var loaded = DeaeModel.Load(path, "cpu");
        Assert.Equal(model.Layout, loaded.Layout);
        Assert.Equal(model.Kind, loaded.Kind);
        Assert.Equal(model.Attributes.Select(a => a.Values), loaded.Attributes.Select(a => a.Values));
        var images = Enumerable.Range(0, 5).Select(i => data.GetPixels(i).ToArray()).ToList();
        Assert.Equal(model.Encode(images), loaded.Encode(images));
        Assert.Equal(model.Reconstruct(images), loaded.Reconstruct(images));

        string truncated = temp.Combine("truncated.deae");
        File.WriteAllBytes(truncated, File.ReadAllBytes(path)[..^100]);
        var error = Assert.Throws<InvalidDataException>(() => DeaeModel.Load(truncated, "cpu"));
        Assert.Contains("truncated.deae", error.Message);
        Assert.Contains("truncated or corrupted", error.Message);
        Assert.Contains("missing.deae", Assert.Throws<FileNotFoundException>(() => DeaeModel.Load(temp.Combine("missing.deae"), "cpu").Dispose()).Message);

        // Weights that do not fit the network named by the header (a hand-edited or mixed-up file) are refused, naming the file.
        var wider = TinyOptions(1).Architecture;
        wider.BaseWidth = 8;
        using var other = new DeaeNetwork(wider, variational: false);
        var mismatch = Assert.Throws<InvalidDataException>(() => DeaeModel.WeightsFromBytes(other, DeaeModel.WeightsToBytes(model.Network), path));
        Assert.Contains($"'{path}' holds weights of a different architecture", mismatch.Message);

        // A header whose checksum holds but whose layout does not sum to its latent dimension is refused, naming the file.
        var (_, sections) = SectionedFile.Read(path, DeaeModel.FileMagic, DeaeModel.FileVersion);
        var header = System.Text.Json.Nodes.JsonNode.Parse(sections[0])!;
        header["latent_dimension"] = header["latent_dimension"]!.GetValue<int>() + 1;
        sections[0] = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        string inconsistent = temp.Combine("inconsistent.deae");
        SectionedFile.Write(inconsistent, DeaeModel.FileMagic, DeaeModel.FileVersion, sections, overwrite: false);
        var headerError = Assert.Throws<InvalidDataException>(() => DeaeModel.Load(inconsistent, "cpu")).Message;
        Assert.Contains($"'{inconsistent}' has an inconsistent model header", headerError);
    }

    /// <summary>Trains the tiny set for <paramref name="steps"/> steps with a checkpoint at the end; returns its bytes.</summary>
    private static byte[] TrainWithCheckpoint(ImageDataset data, int steps, string checkpoint)
    {
        var options = TinyOptions(steps);
        options.CheckpointPath = checkpoint;
        using (DeaeTrainer.Train(data, options))
        {
        }

        return File.ReadAllBytes(checkpoint);
    }

    [Fact]
    public void DivergenceStopsNamingTheStepAndLossAndTheRunResumesWithALowerLearningRate()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        string checkpoint = temp.Combine("run.ckpt");
        byte[] good = TrainWithCheckpoint(data, 3, checkpoint);
        File.WriteAllBytes(temp.Combine("good.ckpt"), good);

        // Continued with an absurd learning rate and a checkpoint every step, the run diverges; the error
        // names the step, the term and its value.
        var wild = TinyOptions(50);
        wild.LearningRate = 1e30;
        wild.CheckpointEvery = 1;
        wild.CheckpointPath = checkpoint;
        var error = Assert.Throws<TrainingDivergedException>(() => DeaeTrainer.Resume(data, wild, checkpoint));
        Assert.True(error.Step > 3);
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains($"loss '{error.Term}' is ", error.Message);
        Assert.Contains(error.Term, new[] { "recon", "swap", "reg", "total" });

        // The checkpoint left behind holds weights whose loss was finite (written after each step had shown
        // it), so the run goes on past the diverged step with a lower learning rate (only hyperparameters
        // may differ). Written right after each update, as before, it held the weights that diverged.
        var calmer = TinyOptions(error.Step + 2);
        calmer.LearningRate = 1e-4;
        var reports = new List<TrainingProgress>();
        using var recovered = DeaeTrainer.Resume(data, calmer, checkpoint, new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.InRange(reports[0].Step - 1, 3, error.Step - 1); // the checkpoint's step
        Assert.Equal(error.Step + 2, reports[^1].Step);
        Assert.Equal(error.Step + 2, recovered.TrainedSteps);
        Assert.All(reports, r => Assert.True(float.IsFinite(r.Losses["total"])));

        // The resumed optimizer uses the new rate: from the good checkpoint, a lower rate gives other weights.
        var lower = TinyOptions(6);
        lower.LearningRate = TinyOptions(3).LearningRate / 10;
        using var slow = DeaeTrainer.Resume(data, lower, temp.Combine("good.ckpt"));
        using var same = DeaeTrainer.Resume(data, TinyOptions(6), temp.Combine("good.ckpt"));
        Assert.NotEqual(Weights(same), Weights(slow));
    }

    [Fact]
    public void AResumeAskingForFewerStepsThanTheCheckpointHoldsOrAnOldCheckpointIsNamed()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        string checkpoint = temp.Combine("run.ckpt");
        TrainWithCheckpoint(data, 3, checkpoint);
        var fewer = Assert.Throws<ArgumentException>(() => DeaeTrainer.Resume(data, TinyOptions(2), checkpoint));
        Assert.Contains("at step 3, beyond Steps (2)", fewer.Message);

        // A format-1 checkpoint (its run description also held the learning rate) is refused, saying why.
        var (_, sections) = SectionedFile.Read(checkpoint, "DEAECKPT", 2);
        SectionedFile.Write(temp.Combine("old.ckpt"), "DEAECKPT", 1, sections, overwrite: false);
        var old = Assert.Throws<InvalidDataException>(() => DeaeTrainer.Resume(data, TinyOptions(6), temp.Combine("old.ckpt")));
        Assert.Contains("format version 1", old.Message);
        Assert.Contains("old.ckpt", old.Message);
    }

    [Fact]
    public void AFreshRunDoesNotReplaceAnotherRunsCheckpointUnlessAsked()
    {
        var data = Tiny();
        using var temp = new TempFolder();
        string checkpoint = temp.Combine("run.ckpt");
        byte[] first = TrainWithCheckpoint(data, 2, checkpoint);
        var other = TinyOptions(2);
        other.Seed = 2;
        other.CheckpointPath = checkpoint;
        var error = Assert.Throws<IOException>(() => DeaeTrainer.Train(data, other));
        Assert.Contains(Path.GetFullPath(checkpoint), error.Message);
        Assert.Contains("OverwriteCheckpoint", error.Message);
        Assert.Equal(first, File.ReadAllBytes(checkpoint));

        other.OverwriteCheckpoint = true;
        using (DeaeTrainer.Train(data, other))
        {
        }

        Assert.NotEqual(first, File.ReadAllBytes(checkpoint));
    }

    [Theory]
    [InlineData(ModelKind.Deae, "recon,swap,reg,total")]
    [InlineData(ModelKind.GslAe, "recon,swap,total")]
    [InlineData(ModelKind.Autoencoder, "recon,total")]
    [InlineData(ModelKind.BetaVae, "recon,kl,total")]
    public void EveryKindLearnsWithItsOwnLossTerms(ModelKind kind, string terms)
    {
        var reports = new List<TrainingProgress>();
        var options = TinyOptions(200, kind);
        options.LearningRate = 1e-3; // the tiny network learns visibly within 200 steps
        using var model = DeaeTrainer.Train(Tiny(), options, new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Equal(200, reports.Count);
        Assert.Equal(terms.Split(',').Order(StringComparer.Ordinal), reports[^1].Losses.Keys.Order(StringComparer.Ordinal));
        Assert.All(reports, r => Assert.True(float.IsFinite(r.Losses["total"])));

        // Each kind learns what it is trained for: its reconstruction (and a group kind's swaps) fall.
        double Mean(IEnumerable<TrainingProgress> part, string term) => part.Average(r => r.Losses[term]);
        foreach (string term in kind is ModelKind.Deae or ModelKind.GslAe ? ["recon", "swap"] : new[] { "recon" })
        {
            double first = Mean(reports.Take(10), term), last = Mean(reports.TakeLast(10), term);
            Assert.True(last < 0.6 * first, $"{kind}: {term} went from {first:F4} (steps 1-10) to {last:F4} (steps 191-200)");
        }
    }

    [Fact]
    public void TheCycleTermIsTrainedAndReportedOnlyWhenWeighted()
    {
        byte[] Run(double weight, out IReadOnlyDictionary<string, float> losses)
        {
            var reports = new List<TrainingProgress>();
            var options = TinyOptions(3, ModelKind.GslAe);
            options.CycleWeight = weight;
            using var model = DeaeTrainer.Train(Tiny(), options, new SynchronousProgress<TrainingProgress>(reports.Add));
            losses = reports[^1].Losses;
            return Weights(model);
        }

        var with = Run(0.5, out var withLosses);
        var without = Run(0, out var withoutLosses);
        Assert.True(withLosses["cycle"] > 0);
        Assert.DoesNotContain("cycle", withoutLosses.Keys);
        Assert.NotEqual(without, with);
    }

    [Theory]
    [InlineData(RegulariserGradient.DecoderOnly)]
    [InlineData(RegulariserGradient.EncoderOnly)]
    public void AOneNetworkRegulariserScoresTheSameButTrainsDifferently(RegulariserGradient route)
    {
        List<TrainingProgress> Run(RegulariserGradient gradient, out byte[] weights)
        {
            var reports = new List<TrainingProgress>();
            var options = TinyOptions(3);
            options.RegulariserWeight = 1.0; // large, so that where its gradient goes shows in the weights
            options.CycleWeight = 0.5;       // the cycle term keeps using the live networks
            options.RegulariserGradient = gradient;
            using var model = DeaeTrainer.Train(Tiny(), options, new SynchronousProgress<TrainingProgress>(reports.Add));
            weights = Weights(model);
            return reports;
        }

        var both = Run(RegulariserGradient.EncoderAndDecoder, out var bothWeights);
        var oneNetwork = Run(route, out var oneNetworkWeights);

        // The frozen copy holds the live weights, so the first step's losses are the same (up to the
        // rounding of a separate batch)...
        Assert.Equal(both[0].Losses["reg"], oneNetwork[0].Losses["reg"], 1e-6);
        Assert.Equal(both[0].Losses["cycle"], oneNetwork[0].Losses["cycle"], 1e-6);
        // ...but one network no longer learns from the regulariser, so training differs.
        Assert.NotEqual(bothWeights, oneNetworkWeights);
        Assert.NotEqual(both[^1].Losses["reg"], oneNetwork[^1].Losses["reg"]);
    }

    [Theory]
    [InlineData(RegulariserGradient.EncoderAndDecoder, true, true, RegulariserTarget.Code)]
    [InlineData(RegulariserGradient.DecoderOnly, false, true, RegulariserTarget.Code)]
    [InlineData(RegulariserGradient.EncoderOnly, true, false, RegulariserTarget.Code)]
    [InlineData(RegulariserGradient.EncoderAndDecoder, true, true, RegulariserTarget.ReencodedReconstruction)]
    [InlineData(RegulariserGradient.DecoderOnly, false, true, RegulariserTarget.ReencodedReconstruction)]
    [InlineData(RegulariserGradient.EncoderOnly, true, false, RegulariserTarget.ReencodedReconstruction)]
    public void TheRegularisersGradientReachesTheNetworksTheOptionNames(RegulariserGradient gradient, bool encoderLearns, bool decoderLearns, RegulariserTarget target)
    {
        var options = TinyOptions(1);
        options.RegulariserGradient = gradient;
        options.RegulariserTarget = target;
        using var tiny = new TinyObjective(options);
        var network = tiny.Network;

        var (_, terms) = tiny.Compute(0);
        terms["reg"].backward();
        static bool Learns(TorchSharp.Modules.Parameter p) => p.grad is { } g && g.abs().sum().item<float>() > 0;
        Assert.Equal(decoderLearns, network.Decoder.parameters().Any(Learns));
        Assert.Equal(encoderLearns, network.Encoder.parameters().Any(Learns));
    }

    [Theory]
    [InlineData(RegulariserGradient.EncoderAndDecoder)]
    [InlineData(RegulariserGradient.EncoderOnly)]
    [InlineData(RegulariserGradient.DecoderOnly)]
    public void AReconstructionTargetCountsOnlyWhatTheInterpolationChanged(RegulariserGradient gradient)
    {
        float Reg(RegulariserTarget target) => RegulariserWithADecoderThatIgnoresItsLatent(o =>
        {
            o.RegulariserGradient = gradient;
            o.RegulariserTarget = target;
        });

        Assert.Equal(0f, Reg(RegulariserTarget.ReencodedReconstruction));
        // Held to C's code instead, the encoder is charged for the decoder's drawing errors too.
        Assert.True(Reg(RegulariserTarget.Code) > 0.01f);
    }

    [Theory]
    [InlineData(RegulariserGradient.EncoderAndDecoder)]
    [InlineData(RegulariserGradient.EncoderOnly)]
    public void HoldingEveryChunkChargesADecoderThatIgnoresTheInterpolation(RegulariserGradient gradient)
    {
        float Reg(RegulariserChunks chunks) => RegulariserWithADecoderThatIgnoresItsLatent(o =>
        {
            o.RegulariserGradient = gradient;
            o.RegulariserTarget = RegulariserTarget.ReencodedReconstruction;
            o.RegulariserChunks = chunks;
        });

        // The other chunks survive such a decoder, so the paper's term is satisfied; holding the
        // interpolated chunk to the interpolated code too, the image is charged for not moving.
        Assert.Equal(0f, Reg(RegulariserChunks.Others));
        float all = Reg(RegulariserChunks.All);
        Assert.True(all > 0.001f, $"All: {all}");
    }

    /// <summary>
    /// The first step's regulariser of a tiny objective configured by <paramref name="configure"/>, with a decoder
    /// that ignores its latent: it draws every interpolation exactly as C's reconstruction.
    /// </summary>
    private static float RegulariserWithADecoderThatIgnoresItsLatent(Action<DeaeTrainerOptions> configure)
    {
        var options = TinyOptions(1);
        configure(options);
        using var tiny = new TinyObjective(options);
        tiny.MakeTheDecoderIgnoreItsLatent();
        return tiny.Compute(0).Terms["reg"].item<float>();
    }

    [Fact]
    public void TheMseRegulariserSquaresTheSameDifferencesTheL1OneAverages()
    {
        float Reg(RegulariserDistance distance)
        {
            var options = TinyOptions(1);
            options.RegulariserDistance = distance;
            using var tiny = new TinyObjective(options);
            return tiny.Compute(0).Terms["reg"].item<float>();
        }

        float l1 = Reg(RegulariserDistance.L1), mse = Reg(RegulariserDistance.Mse);
        // Same weights and interpolations, so the same differences d: mean(d²) ≥ mean(|d|)² (Jensen), equal only if every |d| is the same.
        Assert.True(mse > l1 * l1 * 1.01f, $"MSE {mse} vs L1² {l1 * l1}");
        Assert.NotEqual(l1, mse);
    }

    [Fact]
    public void ARegulariserInCodeSpreadUnitsCannotBeLoweredByShrinkingTheCodes()
    {
        float Reg(RegulariserScale scale, double codeFactor)
        {
            var options = TinyOptions(1);
            options.RegulariserScale = scale;
            using var tiny = new TinyObjective(options);
            var parameters = tiny.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using (TorchSharp.torch.no_grad())
            {
                // Codes × f, and the decoder's first layer ÷ f: the same images, every code scaled by f.
                parameters["encoder.fc2.weight"].mul_(codeFactor);
                parameters["encoder.fc2.bias"].mul_(codeFactor);
                parameters["decoder.fc1.weight"].div_(codeFactor);
            }

            return tiny.Compute(0).Terms["reg"].item<float>();
        }

        // In code units the term falls with the codes' size; in spread units it does not move.
        Assert.Equal(0.25, Reg(RegulariserScale.CodeUnits, 0.25) / Reg(RegulariserScale.CodeUnits, 1), 2);
        float spread = Reg(RegulariserScale.CodeSpread, 1);
        Assert.Equal(spread, Reg(RegulariserScale.CodeSpread, 0.25), 3);
        Assert.NotEqual(spread, Reg(RegulariserScale.CodeUnits, 1));
    }

    [Fact]
    public void TheRegulariserWarmsUpLinearlyToItsFullWeight()
    {
        var options = TinyOptions(1);
        options.RegulariserWeight = 0.5;
        options.RegulariserWarmupSteps = 10;
        using var tiny = new TinyObjective(options);

        Assert.Equal(0.05, RegulariserWeightAt(tiny, 0), 3);
        Assert.Equal(0.25, RegulariserWeightAt(tiny, 4), 3);
        Assert.Equal(0.5, RegulariserWeightAt(tiny, 9), 3);
        Assert.Equal(0.5, RegulariserWeightAt(tiny, 500), 3);
        options.RegulariserWarmupSteps = 0;
        Assert.Equal(0.5, RegulariserWeightAt(tiny, 0), 3);
    }

    [Fact]
    public void TheCycleTermWarmsUpLinearlyToItsFullWeight()
    {
        var options = TinyOptions(1, ModelKind.GslAe);
        options.CycleWeight = 0.5;
        options.CycleWarmupSteps = 10;
        using var tiny = new TinyObjective(options);

        double CycleWeightAt(int step)
        {
            var (total, terms) = tiny.Compute(step);
            float rest = terms["recon"].item<float>() + terms["swap"].item<float>();
            return (total.item<float>() - rest) / terms["cycle"].item<float>();
        }

        Assert.Equal(0.05, CycleWeightAt(0), 3);
        Assert.Equal(0.25, CycleWeightAt(4), 3);
        Assert.Equal(0.5, CycleWeightAt(9), 3);
        Assert.Equal(0.5, CycleWeightAt(500), 3);
        options.CycleWarmupSteps = 0;
        Assert.Equal(0.5, CycleWeightAt(0), 3);
    }

    [Fact]
    public void TheObjectiveMeasuresTheSpreadOfTheBatchsCodes()
    {
        using var tiny = new TinyObjective(TinyOptions(1, ModelKind.GslAe));
        using var scope = TorchSharp.torch.NewDisposeScope();
        tiny.Compute(0);

        using var noGradient = TorchSharp.torch.no_grad();
        var codes = tiny.Network.Encoder.forward(tiny.Images);
        Assert.Equal(codes.std(0).mean().item<float>(), tiny.CodeSpread, 5);
        Assert.True(tiny.CodeSpread > 0);
    }

    [Theory]
    [InlineData(DecoderOutput.Tanh, 0.01)]
    [InlineData(DecoderOutput.Logits, 0.001)]
    public void WithoutAWeightTheRegulariserTakesTheDefaultOfItsDecoderOutput(DecoderOutput output, double expected)
    {
        var options = TinyOptions(1);
        options.Architecture.Output = output;
        using var tiny = new TinyObjective(options);

        Assert.Null(options.RegulariserWeight);
        Assert.Equal(expected, RegulariserWeightAt(tiny, 0), 4);
        options.RegulariserWeight = 0.2; // a weight the user sets wins whatever the output
        Assert.Equal(0.2, RegulariserWeightAt(tiny, 0), 3);
    }

    /// <summary>The weight the total gives the regulariser at a step: (total − recon − swap) / reg, on the same draws.</summary>
    private static double RegulariserWeightAt(TinyObjective tiny, int step)
    {
        var (total, terms) = tiny.Compute(step);
        float rest = terms["recon"].item<float>() + terms["swap"].item<float>();
        return (total.item<float>() - rest) / terms["reg"].item<float>();
    }

    [Fact]
    public void BadInputGetsErrorsNamingTheProblem()
    {
        var data = Tiny();
        var wrongSize = TinyOptions(1);
        wrongSize.Architecture.ImageSize = 32;
        Assert.Contains("ImageSize", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, wrongSize)).Message);

        var wrongChannels = TinyOptions(1);
        wrongChannels.Architecture.Channels = 1;
        Assert.Contains("Channels", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, wrongChannels)).Message);

        var missingColumn = TinyOptions(1);
        missingColumn.Attributes = ["letter", "colour"];
        Assert.Contains("'colour'", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, missingColumn)).Message);

        var badLayout = TinyOptions(1);
        badLayout.Layout = LatentLayout.Parse("letter:2,size:2,font_color:2,background_color:2,font:3", null);
        Assert.Contains("11", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, badLayout)).Message);

        var negativeCycleWarmup = TinyOptions(1);
        negativeCycleWarmup.CycleWarmupSteps = -1;
        Assert.Contains("CycleWarmupSteps (-1)", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, negativeCycleWarmup)).Message);

        foreach (double ratio in new[] { -0.1, 1, double.NaN })
        {
            var badRatio = TinyOptions(1);
            badRatio.CollapseRatio = ratio;
            Assert.Contains($"CollapseRatio ({ratio})", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, badRatio)).Message);
        }

        var negativeWarmup = TinyOptions(1);
        negativeWarmup.RegulariserWarmupSteps = -5;
        Assert.Contains("RegulariserWarmupSteps (-5)", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, negativeWarmup)).Message);
    }

    [SlowFact]
    public void TrainingLearnsAndSwapsTheBackgroundColour()
    {
        var data = Tiny();
        var reports = new List<TrainingProgress>();
        var options = LearningOptions();
        options.ReportEvery = 20;
        using var model = DeaeTrainer.Train(data, options, new SynchronousProgress<TrainingProgress>(reports.Add));
        float first = reports[0].Losses["recon"], last = reports[^1].Losses["recon"];
        Assert.True(last < first * 0.3f, $"reconstruction loss went from {first} to {last}");

        var swap = Evaluation.SwapEvaluator.Evaluate(model, data, Evaluation.SwapEvaluator.Background, pairs: 200, seed: 3);
        Assert.True(swap.TargetRate > 0.6, $"background swap gave the donor's colour for {swap.TargetRate:P0} of pairs");
    }
}


public class TrainerCancellationTests
{
    [Theory]
    [InlineData(1, 4, 4)] // the newest checkpoint holds 3 updates: step 4's loss showed them finite
    [InlineData(3, 8, 7)] // every third step: the newest holds 6 updates, written during step 7
    public void CancellationStopsBetweenStepsAndTheNewestCheckpointResumes(int every, int cancelAfter, int firstResumedStep)
    {
        var data = TrainerTests.Tiny();
        using var temp = new TempFolder();
        using var cancellation = new CancellationTokenSource();
        var options = TrainerTests.TinyOptions(10);
        options.CheckpointEvery = every;
        options.CheckpointPath = temp.Combine("run.ckpt");
        var steps = new List<int>();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            steps.Add(p.Step);
            if (p.Step == cancelAfter)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => DeaeTrainer.Train(data, options, progress, cancellation.Token));
        Assert.Equal(cancelAfter, steps[^1]); // stopped before the next step, not at the end of the run

        var resumedSteps = new List<int>();
        using var resumed = DeaeTrainer.Resume(data, options, temp.Combine("run.ckpt"), new SynchronousProgress<TrainingProgress>(p => resumedSteps.Add(p.Step)));
        // A checkpoint is written once the next step's loss shows its weights finite, so the resumed run
        // redoes the steps after the newest checkpoint's and goes on to the end.
        Assert.Equal(Enumerable.Range(firstResumedStep, 10 - firstResumedStep + 1), resumedSteps);
        using var straight = DeaeTrainer.Train(data, TrainerTests.TinyOptions(10));
        Assert.Equal(10, resumed.TrainedSteps);
        Assert.Equal(DeaeModel.WeightsToBytes(straight.Network), DeaeModel.WeightsToBytes(resumed.Network));
    }
}

public class TrainerConcurrencyTests
{
    [Fact]
    public async Task TwoRunsAtOnceGetTheWeightsTheirSeedsImply()
    {
        var data = TrainerTests.Tiny();
        using var alone = DeaeTrainer.Train(data, TrainerTests.TinyOptions(4));
        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => DeaeTrainer.Train(data, TrainerTests.TinyOptions(4)))).ToArray();
        foreach (var model in await Task.WhenAll(runs))
        {
            Assert.Equal(DeaeModel.WeightsToBytes(alone.Network), DeaeModel.WeightsToBytes(model.Network));
            model.Dispose();
        }
    }
}
