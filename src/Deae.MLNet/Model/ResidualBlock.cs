using Deae.MLNet.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>The reference residual block: conv3×3 → IN → ReLU → conv3×3 → IN, plus the input (no ReLU after the sum).</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly InstanceNorm2d norm1;
    private readonly Conv2d conv2;
    private readonly InstanceNorm2d norm2;

    /// <summary>Creates a block that keeps <paramref name="channels"/> channels.</summary>
    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        norm1 = nn.InstanceNorm2d(channels, affine: true);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        norm2 = nn.InstanceNorm2d(channels, affine: true);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = norm2.forward(conv2.forward(nn.functional.relu(norm1.forward(conv1.forward(input)))));
        return y.Plus(input).MoveToOuterDisposeScope();
    }
}
