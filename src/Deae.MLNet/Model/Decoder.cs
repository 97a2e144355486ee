using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>
/// The reference decoder, the encoder's mirror: Linear → ReLU → Linear to the feature map, residual
/// blocks, stride-2 transposed conv4×4 stages (IN, ReLU), conv7×7 to the image channels, then tanh
/// (or raw logits for binary images).
/// </summary>
public sealed class Decoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Sequential features;
    private readonly long[] _featureShape;
    private readonly bool _tanh;

    /// <summary>Builds the decoder of <paramref name="architecture"/>.</summary>
    public Decoder(DeaeArchitecture architecture) : base(nameof(Decoder))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        int[] widths = architecture.Widths();
        fc1 = nn.Linear(architecture.LatentDimension, architecture.HiddenSize);
        fc2 = nn.Linear(architecture.HiddenSize, architecture.FeatureCount);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int r = 0; r < architecture.ResidualBlocks; r++)
        {
            layers.Add(($"res{r}", new ResidualBlock(widths[^1])));
        }

        for (int s = architecture.Stages; s > 0; s--)
        {
            int stage = architecture.Stages - s;
            layers.Add(($"up{stage}", nn.ConvTranspose2d(widths[s], widths[s - 1], 4, stride: 2, padding: 1, bias: false)));
            layers.Add(($"up{stage}_norm", nn.InstanceNorm2d(widths[s - 1], affine: true)));
            layers.Add(($"up{stage}_relu", nn.ReLU()));
        }

        layers.Add(("head_layout", new ChannelsLastOnCpu()));
        layers.Add(("head", nn.Conv2d(widths[0], architecture.Channels, 7, padding: 3, bias: false)));
        features = nn.Sequential(layers);
        _featureShape = [-1, widths[^1], architecture.FeatureSize, architecture.FeatureSize];
        _tanh = architecture.Output == DecoderOutput.Tanh;
        RegisterComponents();
    }

    /// <summary>Images in [-1, 1] (tanh) or logits, from latent codes [N, z].</summary>
    public override Tensor forward(Tensor latent)
    {
        using var scope = NewDisposeScope();
        var map = fc2.forward(nn.functional.relu(fc1.forward(latent))).reshape(_featureShape);
        var output = features.forward(map);
        // Contiguous again: callers may view the images (the head's output inherits the channels-last strides).
        return (_tanh ? output.tanh() : output).contiguous().MoveToOuterDisposeScope();
    }
}
