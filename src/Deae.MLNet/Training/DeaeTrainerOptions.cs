using Deae.MLNet.Model;

namespace Deae.MLNet.Training;

/// <summary>The pixel loss of reconstructions and swaps.</summary>
public enum PixelLoss
{
    /// <summary>Mean squared error: learns letters faster than L1 at CPU budgets (see docs/training.md).</summary>
    Mse,

    /// <summary>Mean absolute error, as the reference implementation.</summary>
    L1,
}

/// <summary>How the DEAE regulariser interpolates an attribute's chunk between two codes.</summary>
public enum InterpolationMode
{
    /// <summary>Each dimension drawn uniformly between the two codes (the research code).</summary>
    PerDimensionUniform,

    /// <summary>One random α in [0, 1] for the whole chunk (a straight line between the codes).</summary>
    Linear,
}

/// <summary>Which networks the DEAE regulariser's gradient trains.</summary>
public enum RegulariserGradient
{
    /// <summary>Encoder and decoder, as Eq. 1–3 of the paper are written (the re-encoding uses the live encoder).</summary>
    EncoderAndDecoder,

    /// <summary>
    /// The decoder only: interpolations start from detached codes and are re-encoded by a gradient-free copy
    /// of the encoder, so the regulariser can only be lowered by drawing images that the encoder reads as keeping
    /// the other attributes. On the 32×32 Fonts-like set the decoder learns to do that with a background texture
    /// the encoder reads, not with cleaner images (docs/results/fonts-2400-halfway-texture.md).
    /// </summary>
    DecoderOnly,

    /// <summary>
    /// The encoder only: interpolations are drawn by a gradient-free copy of the decoder and re-encoded by
    /// the live encoder, so the decoder learns from the reconstruction and swap losses alone (as in GSL-AE)
    /// and the regulariser shapes only how images are encoded.
    /// </summary>
    EncoderOnly,
}

/// <summary>The distance the DEAE regulariser puts between C's code and the re-encoded interpolation.</summary>
public enum RegulariserDistance
{
    /// <summary>Mean absolute difference, as the paper's Eq. 2 is written.</summary>
    L1,

    /// <summary>Mean squared difference, as the research code computes it.</summary>
    Mse,
}

/// <summary>The units in which the DEAE regulariser measures its distance.</summary>
public enum RegulariserScale
{
    /// <summary>
    /// Code units, as Eq. 2 is written. The encoder could then lower the term by shrinking every code (the
    /// decoder's first layer scales back up). Measured: DEAE's codes end 2.2× (600 steps) to 3.9× (2400)
    /// smaller than GSL-AE's — with <see cref="CodeSpread"/> too, so the small codes are not only this.
    /// </summary>
    CodeUnits,

    /// <summary>
    /// Each dimension's distance divided by that dimension's standard deviation over the step's codes
    /// (held fixed, no gradient): a network that only rescales its codes gets the same term, so the term
    /// can only be lowered by re-encoding more consistently.
    /// </summary>
    CodeSpread,
}

/// <summary>What the DEAE regulariser holds the re-encoded interpolation's other chunks to.</summary>
public enum RegulariserTarget
{
    /// <summary>C's own code, as Eq. 2 is written.</summary>
    Code,

    /// <summary>
    /// The re-encoding of C's reconstruction, drawn and re-encoded by the same networks as the
    /// interpolation and on the same gradient path (held fixed it is a moving target: measured, the term
    /// grew from 0.6 to 67 within 1800 steps). Both sides then carry the decoder's drawing errors, so the
    /// term measures only what the interpolation changed in the other chunks; against C's code the encoder
    /// is also asked to ignore those errors, which for an attribute drawn as subtly as the Fonts-like font
    /// means ignoring the attribute itself (docs/evaluation.md).
    /// </summary>
    ReencodedReconstruction,
}

/// <summary>Which chunks of the re-encoded interpolation the DEAE regulariser holds to a target.</summary>
public enum RegulariserChunks
{
    /// <summary>Every chunk but the interpolated one, as Eq. 2 is written: the interpolated attribute is left free.</summary>
    Others,

    /// <summary>
    /// Every chunk: the others as <see cref="Others"/>, and the interpolated chunk held to the interpolated
    /// code itself, as the cycle loss holds a recombined code. A half-way code must then be drawn as an image
    /// that the encoder reads back half-way, not as any image whose other attributes survive (an extension,
    /// not in the paper).
    /// </summary>
    All,
}

/// <summary>
/// Options of <see cref="DeaeTrainer"/>: one options class for every model kind. Read, never mutated,
/// by the trainer.
/// </summary>
public sealed class DeaeTrainerOptions
{
    /// <summary>Which model to train: DEAE, GSL-AE, plain autoencoder or β-VAE.</summary>
    public ModelKind Kind = ModelKind.Deae;

    /// <summary>The network's shape; its image size and channels must match the data.</summary>
    public DeaeArchitecture Architecture = new();

    /// <summary>The attribute columns that get latent chunks, in latent order; null for every attribute of the data.</summary>
    public IReadOnlyList<string>? Attributes;

    /// <summary>The latent layout; null for equal chunks of <see cref="DeaeArchitecture.LatentDimension"/> over <see cref="Attributes"/>.</summary>
    public LatentLayout? Layout;

    /// <summary>Optimisation steps.</summary>
    public int Steps = 2000;

    /// <summary>Groups per step (each group is the centre plus one partner per attribute). Non-group models see as many images per step.</summary>
    public int GroupsPerBatch = 8;

    /// <summary>Adam learning rate (reference: 1e-4 at 128×128 on a GPU; 1e-3 suits the small CPU networks).</summary>
    public double LearningRate = 1e-3;

    /// <summary>
    /// Largest L2 norm of all gradients together before each Adam step; larger ones are scaled down to it
    /// (PyTorch's <c>clip_grad_norm_</c>). Null (the default, as the reference): no clipping. The norm
    /// before clipping is reported in <see cref="TrainingProgress.GradientNorm"/>, which is how to choose a limit.
    /// </summary>
    public double? GradientClipNorm;

    /// <summary>Pixel loss for reconstruction and swap terms.</summary>
    public PixelLoss PixelLoss = PixelLoss.Mse;

    /// <summary>Weight of the attribute-swap loss (both directions per attribute, plus the full recombination).</summary>
    public double SwapWeight = 1.0;

    /// <summary>Weight of the cycle-swap loss on latents (the reference ships it at 0).</summary>
    public double CycleWeight = 0.0;

    /// <summary>
    /// Steps over which the cycle loss's weight rises linearly from 0 to <see cref="CycleWeight"/> (0: full weight
    /// from the first step, as the paper). The cycle loss is smallest when every image gets the same code, and
    /// before the decoder uses the codes it is the encoder's strongest signal: at 64×64 on the demo set one seed's
    /// codes collapsed within 100 steps at CycleWeight 0.01 and never recovered, and the same run with the cycle loss
    /// starting at step 150 trained normally (docs/training.md).
    /// </summary>
    public int CycleWarmupSteps;

    /// <summary>
    /// Weight λ_reg of the DEAE regulariser (used by <see cref="ModelKind.Deae"/> only); null for
    /// <see cref="DefaultRegulariserWeight"/> of the decoder's output. Its L1 is on latent codes, so its
    /// size follows the codes', not the pixels' (docs/evaluation.md): on Fonts-like images (MSE, tanh) at
    /// 0.01 the weighted term ends near 0.3× the reconstruction loss, and 0.1 slowed reconstruction 4× in
    /// 600 demo steps; on binary sprites (cross-entropy) the term was about 7× larger against a similar
    /// pixel loss, so 0.01 weighed as much as the reconstruction and 0.001 kept the other attributes 2–4×
    /// more often.
    /// </summary>
    public double? RegulariserWeight;

    /// <summary>
    /// The λ_reg a run uses: <see cref="RegulariserWeight"/> when set, otherwise
    /// <see cref="DefaultRegulariserWeight"/> of <see cref="Architecture"/>'s output.
    /// </summary>
    public double EffectiveRegulariserWeight => RegulariserWeight ?? DefaultRegulariserWeight(Architecture.Output);

    /// <summary>
    /// The measured default λ_reg for a decoder output: 0.01 for <see cref="DecoderOutput.Tanh"/> (MSE or
    /// L1 on colour images in [-1, 1]), 0.001 for <see cref="DecoderOutput.Logits"/> (cross-entropy on
    /// binary images, where the regulariser measured about 7× larger against a similar pixel loss).
    /// </summary>
    /// <param name="output">The decoder's output.</param>
    public static double DefaultRegulariserWeight(DecoderOutput output) => output == DecoderOutput.Logits ? 0.001 : 0.01;

    /// <summary>
    /// Steps over which the regulariser's weight rises linearly from 0 to <see cref="EffectiveRegulariserWeight"/>
    /// (0: full weight from the first step, as the paper). Lets the autoencoder learn to draw before the
    /// regulariser asks its re-encodings to be consistent.
    /// </summary>
    public int RegulariserWarmupSteps;

    /// <summary>Interpolations per group for the DEAE regulariser.</summary>
    public int InterpolationsPerGroup = 1;

    /// <summary>Which networks the regulariser trains (see docs/evaluation.md for what each gave).</summary>
    public RegulariserGradient RegulariserGradient = RegulariserGradient.EncoderAndDecoder;

    /// <summary>The regulariser's distance on the non-interpolated chunks (L1 as in the paper, or MSE as in the research code).</summary>
    public RegulariserDistance RegulariserDistance = RegulariserDistance.L1;

    /// <summary>The units of the regulariser's distance (code units as the paper, or relative to each dimension's spread).</summary>
    public RegulariserScale RegulariserScale = RegulariserScale.CodeUnits;

    /// <summary>What the regulariser compares the re-encoded interpolation with (C's code as in the paper, or the re-encoding of C's reconstruction).</summary>
    public RegulariserTarget RegulariserTarget = RegulariserTarget.Code;

    /// <summary>Which chunks the regulariser holds (every chunk but the interpolated one as in the paper, or every chunk).</summary>
    public RegulariserChunks RegulariserChunks = RegulariserChunks.Others;

    /// <summary>How the regulariser interpolates a chunk.</summary>
    public InterpolationMode Interpolation = InterpolationMode.PerDimensionUniform;

    /// <summary>KL weight β of the β-VAE.</summary>
    public double Beta = 4.0;

    /// <summary>Seed of weights, group sampling and interpolations. With the same seed a CPU run is repeatable.</summary>
    public int Seed = 1;

    /// <summary>"auto" (CUDA when TorchSharp sees a GPU, else CPU), "cpu" or "cuda".</summary>
    public string Device = "auto";

    /// <summary>CPU threads for torch; null for every core. Torch's thread count is process-wide: concurrent runs share the last setting.</summary>
    public int? Threads;

    /// <summary>
    /// Write a checkpoint every this many steps (0: only at the end when a path is set). The checkpoint of
    /// step N is written once step N + 1 has shown its loss to be finite, so a diverged run leaves one that resumes.
    /// </summary>
    public int CheckpointEvery;

    /// <summary>Checkpoint file (written atomically); null for no checkpoints.</summary>
    public string? CheckpointPath;

    /// <summary>
    /// Whether a run may replace an existing <see cref="CheckpointPath"/> that it did not resume from
    /// (default false: such a file is another run's, and training stops with an error before step 1).
    /// A resumed run always replaces the checkpoint it continues.
    /// </summary>
    public bool OverwriteCheckpoint;

    /// <summary>
    /// Stop with a <see cref="TrainingCollapsedException"/> when the encoder's codes collapse: when their spread
    /// across the batch (<see cref="TrainingProgress.CodeSpread"/>), averaged over the last 50 steps, falls below
    /// this fraction of its average over the run's first 10 steps (of a resumed run, its first 10 after the
    /// checkpoint). Collapsed codes carry nothing about the image, so the decoder can only learn the mean image;
    /// such runs were not seen to recover. 0 never stops. Not applied to <see cref="ModelKind.BetaVae"/>, whose KL
    /// term pulls the means together by design.
    /// </summary>
    public double CollapseRatio = 0.1;

    /// <summary>Report progress every this many steps.</summary>
    public int ReportEvery = 10;

    /// <summary>
    /// With validation data: score the objective on it every this many steps (and always after the
    /// last step); 0 scores after the last step only.
    /// </summary>
    public int ValidateEvery = 100;

    /// <summary>
    /// With validation data: how many groups (for the plain kinds, as many images as these groups hold)
    /// each validation pass scores. They are drawn once, so every pass scores the same images.
    /// </summary>
    public int ValidationGroups = 32;

    /// <summary>A copy (architecture included), for code that must adjust options without touching the caller's.</summary>
    public DeaeTrainerOptions Clone()
    {
        var copy = (DeaeTrainerOptions)MemberwiseClone();
        copy.Architecture = Architecture.Clone();
        return copy;
    }
}
