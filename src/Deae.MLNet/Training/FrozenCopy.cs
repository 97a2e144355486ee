using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// A copy of the encoder or the decoder whose weights take no gradient, refreshed from the live network
/// before every use; gradients still flow through it to its input. The DEAE regulariser routes through
/// it to keep its gradient away from one network: with <see cref="RegulariserGradient.DecoderOnly"/> the
/// interpolations are re-encoded by a frozen encoder (and start from detached codes), so the encoder
/// cannot lower the loss by becoming blind to what the decoder drew (measured: the decoder then adapts instead,
/// drawing a texture the encoder reads as the intended code; docs/results/fonts-2400-halfway-texture.md); with
/// <see cref="RegulariserGradient.EncoderOnly"/> they are drawn by a frozen decoder, so the decoder is
/// trained by the reconstruction and swap losses alone and the regulariser cannot trade its drawing
/// fidelity for consistency.
/// </summary>
internal sealed class FrozenCopy : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _copy;
    private readonly nn.Module<Tensor, Tensor> _source;

    /// <param name="copy">A freshly built module of the same architecture as <paramref name="source"/> (its initial weights are overwritten).</param>
    /// <param name="source">The live module.</param>
    /// <param name="device">Where the live module lives.</param>
    public FrozenCopy(nn.Module<Tensor, Tensor> copy, nn.Module<Tensor, Tensor> source, Device device)
    {
        _copy = copy;
        _source = source;
        _copy.to(device);
        foreach (var parameter in _copy.parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>Copies the live module's current weights into the frozen copy.</summary>
    public void Refresh()
    {
        using var noGradients = no_grad();
        foreach (var (target, source) in _copy.parameters().Zip(_source.parameters()))
        {
            target.copy_(source);
        }
    }

    /// <summary>The copy's output for <paramref name="input"/>; gradients flow to the input, not to the weights.</summary>
    public Tensor Forward(Tensor input) => _copy.forward(input);

    /// <inheritdoc/>
    public void Dispose() => _copy.Dispose();
}
