using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>
/// The reference encoder: conv7×7 → IN → ReLU, stride-2 conv4×4 stages (IN, ReLU), residual blocks,
/// flatten, Linear → ReLU → Linear to z. All convolutions are bias-free. With variational heads a
/// second Linear gives the log-variance (β-VAE).
/// </summary>
public sealed class Encoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear? fc_logvar;

    /// <summary>Builds the encoder of <paramref name="architecture"/>.</summary>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="variational">Whether to add a log-variance head (β-VAE).</param>
    public Encoder(DeaeArchitecture architecture, bool variational) : base(nameof(Encoder))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        int[] widths = architecture.Widths();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem", nn.Conv2d(architecture.Channels, widths[0], 7, padding: 3, bias: false)),
            ("stem_norm", nn.InstanceNorm2d(widths[0], affine: true)),
            ("stem_relu", nn.ReLU()),
        };
        for (int s = 0; s < architecture.Stages; s++)
        {
            layers.Add(($"down{s}", nn.Conv2d(widths[s], widths[s + 1], 4, stride: 2, padding: 1, bias: false)));
            layers.Add(($"down{s}_norm", nn.InstanceNorm2d(widths[s + 1], affine: true)));
            layers.Add(($"down{s}_relu", nn.ReLU()));
        }

        for (int r = 0; r < architecture.ResidualBlocks; r++)
        {
            layers.Add(($"res{r}", new ResidualBlock(widths[^1])));
        }

        layers.Add(("flatten", nn.Flatten()));
        features = nn.Sequential(layers);
        fc1 = nn.Linear(architecture.FeatureCount, architecture.HiddenSize);
        fc2 = nn.Linear(architecture.HiddenSize, architecture.LatentDimension);
        fc_logvar = variational ? nn.Linear(architecture.HiddenSize, architecture.LatentDimension) : null;
        RegisterComponents();
    }

    /// <summary>Whether the encoder has a log-variance head.</summary>
    public bool IsVariational => fc_logvar is not null;

    /// <summary>The latent code (the mean, for a variational encoder).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(Hidden(input)).MoveToOuterDisposeScope();
    }

    /// <summary>Mean and log-variance of the latent (the log-variance is null without a variational head).</summary>
    public (Tensor Mean, Tensor? LogVariance) Distribution(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(input);
        var mean = fc2.forward(hidden).MoveToOuterDisposeScope();
        var logVariance = fc_logvar?.forward(hidden).MoveToOuterDisposeScope();
        return (mean, logVariance);
    }

    private Tensor Hidden(Tensor input) => nn.functional.relu(fc1.forward(features.forward(input)));
}
