using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

public class ArchitectureTests
{
    private static long Conv(long input, long output, long kernel) => input * output * kernel * kernel; // bias-free

    private static long Norm(long channels) => 2 * channels; // affine InstanceNorm

    private static long Linear(long input, long output) => (input * output) + output;

    [Fact]
    public void Reference128IsTheReferenceNetworkLayerForLayer()
    {
        TorchRuntime.EnsureLoaded();
        using var network = new DeaeNetwork(DeaeArchitecture.Reference128(), variational: false);
        long residual = (2 * Conv(256, 256, 3)) + (2 * Norm(256));
        long encoder =
            Conv(3, 64, 7) + Norm(64) +
            Conv(64, 128, 4) + Norm(128) + Conv(128, 256, 4) + Norm(256) + Conv(256, 256, 4) + Norm(256) + Conv(256, 256, 4) + Norm(256) +
            residual +
            Linear(256 * 8 * 8, 4096) + Linear(4096, 100);
        long decoder =
            Linear(100, 4096) + Linear(4096, 256 * 8 * 8) +
            residual +
            Conv(256, 256, 4) + Norm(256) + Conv(256, 256, 4) + Norm(256) + Conv(256, 128, 4) + Norm(128) + Conv(128, 64, 4) + Norm(64) +
            Conv(64, 3, 7);
        Assert.Equal(encoder, network.Encoder.parameters().Sum(p => p.numel()));
        Assert.Equal(decoder, network.Decoder.parameters().Sum(p => p.numel()));

        using var noGrad = no_grad();
        using var x = zeros(1, 3, 128, 128);
        using var z = network.Encoder.forward(x);
        using var y = network.Decoder.forward(z);
        Assert.Equal([1L, 100], z.shape);
        Assert.Equal([1L, 3, 128, 128], y.shape);
        Assert.True(y.abs().max().item<float>() <= 1f, "tanh output stays in [-1, 1]");
    }

    [Fact]
    public void SmallerImagesUseFewerStagesAndTheSpritesVariantEndsAt4x4()
    {
        var small = new DeaeArchitecture { ImageSize = 32, BaseWidth = 32 };
        Assert.Equal(2, small.Stages);
        Assert.Equal([32, 64, 128], small.Widths());
        Assert.Equal(128 * 8 * 8, small.FeatureCount);

        var sprites = DeaeArchitecture.ReferenceSprites();
        Assert.Equal(4, sprites.FeatureSize);
        Assert.Equal(4096, sprites.FeatureCount);
        TorchRuntime.EnsureLoaded();
        using var network = new DeaeNetwork(sprites, variational: false);
        using var noGrad = no_grad();
        using var x = zeros(2, 1, 64, 64);
        using var y = network.forward(x);
        Assert.Equal([2L, 1, 64, 64], y.shape);
    }

    [Fact]
    public void ImpossibleArchitecturesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new DeaeArchitecture { ImageSize = 48 }.Validate());
        Assert.Throws<ArgumentException>(() => new DeaeArchitecture { Channels = 2 }.Validate());
        Assert.Throws<ArgumentException>(() => new DeaeArchitecture { ImageSize = 16, DownsamplingStages = 4 }.Validate());
    }

    [Fact]
    public void TheHeadsChannelsLastLayoutChangesNoValueAndImagesComeBackContiguous()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(3);
        using var scope = NewDisposeScope();
        var architecture = new DeaeArchitecture { ImageSize = 16, Channels = 3 };
        var network = new DeaeNetwork(architecture, variational: false);
        var map = randn(4, 16, 16, 16);
        var layout = new ChannelsLastOnCpu().forward(map);
        Assert.Equal(map.shape, layout.shape);
        Assert.Equal([16L * 16 * 16, 1, 16 * 16, 16], layout.stride());
        Assert.True(map.eq(layout).all().item<bool>());

        // The head's convolution gives the same images in either layout (to float rounding).
        var head = nn.Conv2d(16, 3, 7, padding: 3, bias: false);
        Assert.True(head.forward(layout).allclose(head.forward(map), rtol: 1e-4, atol: 1e-5));

        // Callers view decoded images, which a channels-last result would refuse.
        var images = network.Decoder.forward(randn(5, architecture.LatentDimension));
        Assert.True(images.is_contiguous());
        Assert.Equal([5L * 3 * 16 * 16], images.view(-1).shape);
    }
}
