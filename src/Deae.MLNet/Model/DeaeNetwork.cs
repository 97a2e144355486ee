using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>The encoder and decoder as one module, so that one state dictionary holds every weight.</summary>
public sealed class DeaeNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Encoder encoder;
    private readonly Decoder decoder;

    /// <summary>Builds both halves of <paramref name="architecture"/>.</summary>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="variational">Whether the encoder has a log-variance head (β-VAE).</param>
    public DeaeNetwork(DeaeArchitecture architecture, bool variational) : base(nameof(DeaeNetwork))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        encoder = new Encoder(architecture, variational);
        decoder = new Decoder(architecture);
        RegisterComponents();
    }

    /// <summary>The encoder.</summary>
    public Encoder Encoder => encoder;

    /// <summary>The decoder.</summary>
    public Decoder Decoder => decoder;

    /// <summary>Reconstruction: decode(encode(x)).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return decoder.forward(encoder.forward(input)).MoveToOuterDisposeScope();
    }
}
