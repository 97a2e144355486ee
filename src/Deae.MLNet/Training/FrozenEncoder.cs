using Deae.MLNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// A copy of the encoder whose weights take no gradient, refreshed from the live encoder before every
/// use. The DEAE regulariser re-encodes decoded interpolations through it when
/// <see cref="RegulariserGradient.DecoderOnly"/> is chosen (the interpolations then also start from detached
/// codes): the regulariser's gradient reaches the decoder through the images and nothing else, so the
/// encoder cannot lower the loss by becoming blind to what the decoder drew.
/// </summary>
internal sealed class FrozenEncoder : IDisposable
{
    private readonly Encoder _copy;
    private readonly Encoder _source;

    /// <param name="copy">A freshly built encoder of the same architecture (its initial weights are overwritten).</param>
    /// <param name="source">The live encoder.</param>
    /// <param name="device">Where the live encoder lives.</param>
    public FrozenEncoder(Encoder copy, Encoder source, Device device)
    {
        _copy = copy;
        _source = source;
        _copy.to(device);
        foreach (var parameter in _copy.parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>Copies the live encoder's current weights into the frozen copy.</summary>
    public void Refresh()
    {
        using var noGradients = no_grad();
        foreach (var (target, source) in _copy.parameters().Zip(_source.parameters()))
        {
            target.copy_(source);
        }
    }

    /// <summary>Codes of <paramref name="images"/>; gradients flow to the images, not to the weights.</summary>
    public Tensor Encode(Tensor images) => _copy.forward(images);

    /// <inheritdoc/>
    public void Dispose() => _copy.Dispose();
}
