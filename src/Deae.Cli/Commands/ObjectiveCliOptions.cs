using System.CommandLine;
using Deae.MLNet.Training;

namespace Deae.Cli.Commands;

/// <summary>
/// The command-line options of the training objective (the DEAE regulariser's form and weight, the
/// cycle-swap weight and warm-up) and of gradient clipping and collapse detection, shared by <c>deae train</c> and <c>deae evaluate</c>.
/// </summary>
internal sealed class ObjectiveCliOptions
{
    private readonly Option<double?> _weight;
    private readonly Option<RegulariserGradient> _gradient;
    private readonly Option<RegulariserDistance> _distance;
    private readonly Option<RegulariserScale> _scale;
    private readonly Option<RegulariserTarget> _target;
    private readonly Option<RegulariserChunks> _chunks;
    private readonly Option<int> _warmup;
    private readonly Option<int> _interpolations;
    private readonly Option<InterpolationMode> _mode;
    private readonly Option<double?> _clip;
    private readonly Option<double> _cycle;
    private readonly Option<int> _cycleWarmup;
    private readonly Option<double> _collapse;

    /// <summary>Options whose defaults are <paramref name="defaults"/>' values (the command's own configuration).</summary>
    public ObjectiveCliOptions(DeaeTrainerOptions defaults)
    {
        _weight = new("--reg-weight") { Description = "DEAE regulariser weight λ_reg (default: 0.01 for colour images, 0.001 for binary images trained with cross-entropy).", DefaultValueFactory = _ => defaults.RegulariserWeight };
        _gradient = new("--reg-gradient") { Description = "Which networks the DEAE regulariser trains: EncoderAndDecoder, DecoderOnly or EncoderOnly.", DefaultValueFactory = _ => defaults.RegulariserGradient };
        _distance = new("--reg-distance") { Description = "The regulariser's distance on codes: L1 (the paper) or Mse (the research code).", DefaultValueFactory = _ => defaults.RegulariserDistance };
        _scale = new("--reg-scale") { Description = "The regulariser's units: CodeUnits (the paper) or CodeSpread (per-dimension spread of the step's codes, so shrinking codes cannot lower it).", DefaultValueFactory = _ => defaults.RegulariserScale };
        _target = new("--reg-target") { Description = "What the regulariser holds the re-encoded interpolation to: Code (C's code, the paper) or ReencodedReconstruction (the re-encoding of C's reconstruction).", DefaultValueFactory = _ => defaults.RegulariserTarget };
        _chunks = new("--reg-chunks") { Description = "Which chunks of the re-encoded interpolation the regulariser holds: Others (every chunk but the interpolated one, the paper) or All (the interpolated chunk too, held to the interpolated code).", DefaultValueFactory = _ => defaults.RegulariserChunks };
        _warmup = new("--reg-warmup") { Description = "Steps over which λ_reg rises linearly from 0 (0: full weight from the start).", DefaultValueFactory = _ => defaults.RegulariserWarmupSteps };
        _interpolations = new("--interpolations") { Description = "DEAE interpolations per group.", DefaultValueFactory = _ => defaults.InterpolationsPerGroup };
        _mode = new("--interpolation") { Description = "PerDimensionUniform (the research code) or Linear (one α per chunk).", DefaultValueFactory = _ => defaults.Interpolation };
        _cycle = new("--cycle-weight") { Description = "Weight of the cycle-swap loss on latents (the reference ships it at 0).", DefaultValueFactory = _ => defaults.CycleWeight };
        _cycleWarmup = new("--cycle-warmup") { Description = "Steps over which the cycle loss's weight rises linearly from 0 (0: full weight from the start; a warm-up keeps the cycle loss from collapsing the codes before the decoder uses them).", DefaultValueFactory = _ => defaults.CycleWarmupSteps };
        _collapse = new("--collapse-ratio") { Description = "Stop when the codes' spread across a batch (the progress line's spread), averaged over 50 steps, falls below this fraction of its first 10 steps' average: every image then gets the same code (0: never stop; not applied to the β-VAE).", DefaultValueFactory = _ => defaults.CollapseRatio };
        _clip = new("--clip-grad-norm") { Description = "Scale each step's gradients down to this L2 norm when larger (default: no clipping; the progress line shows the norm as |g|).", DefaultValueFactory = _ => defaults.GradientClipNorm };
    }

    /// <summary>The name of the λ_reg option, whose absence means a default that depends on the images.</summary>
    public string RegulariserWeightName => _weight.Name;

    /// <summary>Every option, in the order they are listed.</summary>
    public Option[] All => [_weight, _gradient, _distance, _scale, _target, _chunks, _warmup, _interpolations, _mode, _cycle, _cycleWarmup, _clip, _collapse];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Copies the parsed values into <paramref name="options"/>.</summary>
    public void Apply(ParseResult parse, DeaeTrainerOptions options)
    {
        options.RegulariserWeight = parse.GetValue(_weight);
        options.RegulariserGradient = parse.GetValue(_gradient);
        options.RegulariserDistance = parse.GetValue(_distance);
        options.RegulariserScale = parse.GetValue(_scale);
        options.RegulariserTarget = parse.GetValue(_target);
        options.RegulariserChunks = parse.GetValue(_chunks);
        options.RegulariserWarmupSteps = parse.GetValue(_warmup);
        options.InterpolationsPerGroup = parse.GetValue(_interpolations);
        options.Interpolation = parse.GetValue(_mode);
        options.CycleWeight = parse.GetValue(_cycle);
        options.CycleWarmupSteps = parse.GetValue(_cycleWarmup);
        options.CollapseRatio = parse.GetValue(_collapse);
        options.GradientClipNorm = parse.GetValue(_clip);
    }
}
