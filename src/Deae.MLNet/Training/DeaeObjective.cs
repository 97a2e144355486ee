using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// The training objective of every model kind, each loss term a small named function. For the
/// group-supervised kinds every latent that must be decoded in a step (reconstructions, swaps,
/// recombination, cycle mixes, DEAE interpolations) goes through the decoder in one batch, and every
/// re-encoding through the encoder in one batch, so the extra terms cost little more than their images.
/// </summary>
internal sealed class DeaeObjective : IDisposable
{
    private readonly DeaeNetwork _network;
    private readonly DeaeTrainerOptions _options;
    private readonly LatentLayout _layout;
    private readonly DecoderOutput _output;
    private readonly Tensor _masks; // [m, z]: 1 on chunk k
    private readonly Generator _random;
    private readonly FrozenCopy? _frozen;
    private readonly RegulariserGradient _route;

    /// <param name="network">The network being trained.</param>
    /// <param name="layout">The latent layout.</param>
    /// <param name="options">The trainer options.</param>
    /// <param name="device">Where the tensors live.</param>
    /// <param name="random">
    /// The run's own generator for interpolations, cycle mixes and VAE noise: the global torch generator
    /// is shared by every thread of the process, so using it would make concurrent runs disturb each other.
    /// </param>
    /// <param name="frozen">
    /// The gradient-free copy that <see cref="DeaeTrainerOptions.RegulariserGradient"/> routes the DEAE
    /// interpolations through (<see cref="DeaeTrainer.FrozenCopyFor"/>; refreshed at every <see cref="Compute"/>), or null
    /// for the live networks, as <see cref="RegulariserGradient.EncoderAndDecoder"/> (validation passes null: without
    /// gradients the copy, which holds the live weights, gives the same values).
    /// </param>
    public DeaeObjective(DeaeNetwork network, LatentLayout layout, DeaeTrainerOptions options, Device device, Generator random, FrozenCopy? frozen = null)
    {
        _frozen = frozen;
        _route = frozen is null ? RegulariserGradient.EncoderAndDecoder : options.RegulariserGradient;
        _random = random;
        _network = network;
        _options = options;
        _layout = layout;
        _output = options.Architecture.Output;
        var masks = new float[layout.Count * layout.Dimension];
        for (int k = 0; k < layout.Count; k++)
        {
            layout.Mask(k).CopyTo(masks, k * layout.Dimension);
        }

        _masks = tensor(masks, [layout.Count, layout.Dimension], device: device);
    }

    /// <summary>
    /// How far apart the last <see cref="Compute"/>'s real images lie in latent space: the standard deviation of
    /// their codes (a β-VAE's means) across the batch, averaged over the latent dimensions. A diagnostic only
    /// (measured without gradients): near 0 the encoder gives every image the same code.
    /// </summary>
    public float CodeSpread { get; private set; } = float.NaN;

    /// <summary>Frees the chunk masks (the network, generator and frozen copy belong to the caller).</summary>
    public void Dispose() => _masks.Dispose();

    /// <summary>
    /// The total loss and each term for a batch. For group kinds <paramref name="images"/> holds
    /// <paramref name="groups"/> groups of (centre, P_1 … P_m) in order; other kinds treat it as a plain batch.
    /// <paramref name="step"/> (0-based) sets the cycle loss's and the regulariser's weights during their warm-ups.
    /// </summary>
    public (Tensor Total, Dictionary<string, Tensor> Terms) Compute(Tensor images, int groups, int step)
    {
        _frozen?.Refresh();
        return _options.Kind switch
        {
            ModelKind.Autoencoder => Plain(images),
            ModelKind.BetaVae => Variational(images),
            _ => GroupSupervised(images, groups, WarmedUp(_options.CycleWeight, _options.CycleWarmupSteps, step), WarmedUp(_options.EffectiveRegulariserWeight, _options.RegulariserWarmupSteps, step)),
        };
    }

    /// <summary>A weight at <paramref name="step"/> (0-based): rising linearly over <paramref name="warmupSteps"/>, so step w − 1 is the first at full weight.</summary>
    private static double WarmedUp(double weight, int warmupSteps, int step) =>
        warmupSteps <= 0 ? weight : weight * Math.Min(1.0, (step + 1.0) / warmupSteps);

    private (Tensor, Dictionary<string, Tensor>) Plain(Tensor images)
    {
        var codes = _network.Encoder.forward(images);
        MeasureSpread(codes);
        var reconstruction = PixelLoss(_network.Decoder.forward(codes), images);
        return (reconstruction, new() { ["recon"] = reconstruction });
    }

    private (Tensor, Dictionary<string, Tensor>) Variational(Tensor images)
    {
        var (mean, logVariance) = _network.Encoder.Distribution(images);
        MeasureSpread(mean);
        var sample = mean.Plus(RandomNormal(mean.shape, mean.device) * logVariance!.Times(0.5).exp());
        var reconstruction = PixelLoss(_network.Decoder.forward(sample), images);
        var kl = KlDivergence(mean, logVariance!, images);
        return (reconstruction.Plus(kl.Times(_options.Beta)), new() { ["recon"] = reconstruction, ["kl"] = kl });
    }

    private (Tensor, Dictionary<string, Tensor>) GroupSupervised(Tensor images, int groups, double cycleWeight, double regulariserWeight)
    {
        int m = _layout.Count, z = _layout.Dimension;
        long count = images.shape[0];
        var codes = _network.Encoder.forward(images);
        MeasureSpread(codes);
        var grouped = codes.view(groups, m + 1, z);
        var centre = grouped[.., 0, ..];
        var partners = grouped[.., 1.., ..];

        // Swap chunk k between C and P_k (they share attribute k, so neither image may change), and
        // recombine every P_k's chunk k, which must give C.
        var keep = _masks.SubtractedFrom(1);
        var centreSwapped = (centre.unsqueeze(1) * keep).Plus(partners * _masks);
        var partnerSwapped = (partners * keep).Plus(centre.unsqueeze(1) * _masks);
        var recombined = (partners * _masks).sum(1);

        var latents = new List<Tensor> { codes, centreSwapped.reshape(-1, z), partnerSwapped.reshape(-1, z), recombined };
        Tensor? cycleMix = null, interpolated = null, interpolatedMask = null, interpolatedTarget = null;
        if (_options.CycleWeight > 0)
        {
            cycleMix = CycleMix(grouped);
            latents.Add(cycleMix);
        }

        if (_options.Kind == ModelKind.Deae && _options.EffectiveRegulariserWeight > 0)
        {
            // Decoder-only: the interpolations start from fixed codes, so no regulariser gradient reaches the encoder.
            (interpolated, interpolatedMask, interpolatedTarget) = _route == RegulariserGradient.DecoderOnly
                ? Interpolations(centre.detach(), partners.detach())
                : Interpolations(centre, partners);
            if (_route != RegulariserGradient.EncoderOnly)
            {
                latents.Add(interpolated);
            }
        }

        var decoded = _network.Decoder.forward(cat(latents, 0));
        long at = 0;
        Tensor Next(long n)
        {
            var slice = decoded.narrow(0, at, n);
            at += n;
            return slice;
        }

        var imagesGrouped = images.view(groups, m + 1, images.shape[1], images.shape[2], images.shape[3]);
        var centreImages = imagesGrouped[.., 0].unsqueeze(1).expand(-1, m, -1, -1, -1).reshape(-1, images.shape[1], images.shape[2], images.shape[3]);
        var partnerImages = imagesGrouped[.., 1..].reshape(-1, images.shape[1], images.shape[2], images.shape[3]);

        var terms = new Dictionary<string, Tensor>();
        var reconstructions = Next(count);
        terms["recon"] = PixelLoss(reconstructions, images);
        var swapCentre = PixelLoss(Next(groups * m), centreImages);
        var swapPartner = PixelLoss(Next(groups * m), partnerImages);
        var swapFull = PixelLoss(Next(groups), imagesGrouped[.., 0]);
        terms["swap"] = swapCentre.Plus(swapPartner).Plus(swapFull).DividedBy(3);
        var total = terms["recon"].Plus(terms["swap"].Times(_options.SwapWeight));

        Tensor? cycleImages = cycleMix is null ? null : Next(cycleMix.shape[0]);
        // Encoder-only: the interpolations are drawn by the frozen decoder, so no regulariser gradient reaches the decoder.
        Tensor? interpolatedImages = interpolated is null ? null
            : _route == RegulariserGradient.EncoderOnly ? _frozen!.Forward(interpolated) : Next(interpolated.shape[0]);

        // The reconstruction target: C drawn by the decoder that drew the interpolations, re-encoded below with
        // them, on the same gradient path as the interpolation (held fixed, it is a moving target and diverged).
        Tensor? centreDrawn = interpolatedImages is null || _options.RegulariserTarget != RegulariserTarget.ReencodedReconstruction ? null
            : _route == RegulariserGradient.EncoderOnly ? _frozen!.Forward(centre)
            : _route == RegulariserGradient.DecoderOnly ? _network.Decoder.forward(centre.detach())
            : reconstructions.view(groups, m + 1, images.shape[1], images.shape[2], images.shape[3])[.., 0];

        // One encoder pass for every re-encoding, unless the interpolations go through the frozen encoder.
        Tensor? recodedCycle = null, recodedInterpolations = null, recodedCentres = null;
        if (_route == RegulariserGradient.DecoderOnly)
        {
            recodedCycle = cycleImages is null ? null : _network.Encoder.forward(cycleImages);
            recodedInterpolations = interpolatedImages is null ? null : _frozen!.Forward(interpolatedImages);
            recodedCentres = centreDrawn is null ? null : _frozen!.Forward(centreDrawn);
        }
        else if (cycleImages is not null || interpolatedImages is not null)
        {
            var recoded = _network.Encoder.forward(cat(new[] { cycleImages, interpolatedImages, centreDrawn }.OfType<Tensor>().ToList(), 0));
            long cycleCount = cycleImages?.shape[0] ?? 0, interpolationCount = interpolatedImages?.shape[0] ?? 0;
            recodedCycle = cycleImages is null ? null : recoded.narrow(0, 0, cycleCount);
            recodedInterpolations = interpolatedImages is null ? null : recoded.narrow(0, cycleCount, interpolationCount);
            recodedCentres = centreDrawn is null ? null : recoded.narrow(0, cycleCount + interpolationCount, groups);
        }

        if (recodedCentres is not null)
        {
            // Interpolations come group by group (InterpolationsPerGroup each), as Interpolations lays them out.
            interpolatedTarget = recodedCentres.repeat_interleave(_options.InterpolationsPerGroup, 0);
        }

        if (recodedCycle is not null)
        {
            terms["cycle"] = (recodedCycle - cycleMix!).abs().mean();
            total = total.Plus(terms["cycle"].Times(cycleWeight));
        }

        if (recodedInterpolations is not null)
        {
            // The spread is measured on this step's codes and held fixed, so shrinking them cannot lower the term.
            var spread = _options.RegulariserScale == RegulariserScale.CodeSpread ? codes.detach().std(0).AtLeast(1e-6) : null;
            terms["reg"] = RegulariserLoss(recodedInterpolations, interpolatedTarget!, interpolated!, interpolatedMask!, spread);
            total = total.Plus(terms["reg"].Times(regulariserWeight));
        }

        return (total, terms);
    }

    private void MeasureSpread(Tensor codes)
    {
        using var scope = NewDisposeScope();
        CodeSpread = codes.detach().std(0).mean().item<float>();
    }

    // TorchSharp's Generator is always a CPU generator (its native constructor ignores the device), and
    // libtorch refuses a CPU generator for a CUDA tensor, so every draw is made on the CPU and moved:
    // the same numbers on every device, and on the CPU nothing moves.
    private Tensor RandomIntegers(long high, long[] shape, Device device) => randint(high, shape, generator: _random).to(device);

    private Tensor RandomUniform(long[] shape, Device device) => rand(shape, generator: _random).to(device);

    private Tensor RandomNormal(long[] shape, Device device) => randn(shape, generator: _random).to(device);

    /// <summary>Latents assembled chunk by chunk from random members of each group (the cycle-swap input).</summary>
    private Tensor CycleMix(Tensor grouped)
    {
        long groups = grouped.shape[0], members = grouped.shape[1];
        var source = RandomIntegers(members, [groups, _layout.Count], grouped.device); // [G, m]
        // Gather member source[g, k] for chunk k: one-hot over members, then masked sum.
        var oneHot = nn.functional.one_hot(source, members).to(grouped.dtype); // [G, m, members]
        var perChunk = oneHot.matmul(grouped); // [G, m, z]: the chosen member's whole code per chunk
        return (perChunk * _masks).sum(1);
    }

    /// <summary>
    /// The DEAE interpolations (Eq. 1): for each group and sample, attribute a's chunk moved from C's
    /// code towards a partner that differs from C in a. Returns the latents, a mask of a's chunk and the target (C's code, held fixed).
    /// </summary>
    internal (Tensor Latents, Tensor Mask, Tensor Target) Interpolations(Tensor centre, Tensor partners)
    {
        int m = _layout.Count, n = _options.InterpolationsPerGroup;
        long groups = centre.shape[0];
        var device = centre.device;
        var attribute = RandomIntegers(m, [groups * n], device);
        // P_k for k != a differs from C in a (it shares only k); with one attribute P_1 is all there is.
        var partner = m > 1 ? attribute.Plus(1).Plus(RandomIntegers(m - 1, [groups * n], device)).Modulo(m) : zeros_like(attribute);
        var groupIndex = ScalarSafeOps.Range(groups, device).repeat_interleave(n);
        var from = centre.index_select(0, groupIndex);
        var to = partners[groupIndex, partner];
        var mask = _masks.index_select(0, attribute);
        var alpha = _options.Interpolation == InterpolationMode.Linear
            ? RandomUniform([groups * n, 1], device)
            : RandomUniform([groups * n, _layout.Dimension], device);
        var latents = from.Plus(mask * alpha * (to - from));
        return (latents, mask, from.detach());
    }

    /// <summary>
    /// Eq. 2: L1 (or, as in the research code, squared) distance between the target and the re-encoded
    /// interpolation on every chunk but the interpolated one (<paramref name="mask"/>); with
    /// <see cref="RegulariserChunks.All"/> on that chunk too, held to the <paramref name="interpolated"/> code itself.
    /// In units of <paramref name="spread"/> (per dimension) when given.
    /// </summary>
    private Tensor RegulariserLoss(Tensor recoded, Tensor target, Tensor interpolated, Tensor mask, Tensor? spread)
    {
        var others = mask.SubtractedFrom(1);
        // The interpolated code is a fixed target, as C's code is.
        var (held, goal) = _options.RegulariserChunks == RegulariserChunks.All
            ? (ones_like(mask), (target * others).Plus(interpolated.detach() * mask))
            : (others, target);
        var difference = spread is null ? recoded - goal : (recoded - goal) / spread;
        var distance = _options.RegulariserDistance == RegulariserDistance.Mse ? difference.Squared() : difference.abs();
        return (distance * held).sum() / held.sum().AtLeast(1);
    }

    private Tensor PixelLoss(Tensor output, Tensor target) => _output == DecoderOutput.Logits
        ? nn.functional.binary_cross_entropy_with_logits(output, target)
        : _options.PixelLoss == Training.PixelLoss.L1 ? nn.functional.l1_loss(output, target) : nn.functional.mse_loss(output, target);

    /// <summary>KL(q(z|x) ‖ N(0, I)) per pixel value, so that β weighs it against a per-pixel reconstruction loss.</summary>
    private static Tensor KlDivergence(Tensor mean, Tensor logVariance, Tensor images)
    {
        double perImage = images.shape[1] * images.shape[2] * images.shape[3];
        return (logVariance.Plus(1) - mean.Squared() - logVariance.exp()).sum().Times(-0.5 / (images.shape[0] * perImage));
    }
}
