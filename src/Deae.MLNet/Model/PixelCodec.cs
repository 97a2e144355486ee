using Deae.MLNet.Runtime;
using Deae.MLNet.Data;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>
/// Converts between image bytes (interleaved H×W×C) and the network's tensors (N×C×H×W): pixels in
/// [-1, 1] for a tanh decoder, in [0, 1] for a logits decoder. The one place that knows the normalisation.
/// </summary>
public static class PixelCodec
{
    /// <summary>A float tensor [N, C, H, W] of the images at <paramref name="indices"/>, on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(ImageDataset data, ReadOnlySpan<int> indices, DecoderOutput output, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        int c = data.Channels, plane = data.Width * data.Height, size = plane * c;
        var values = new float[indices.Length * size];
        for (int n = 0; n < indices.Length; n++)
        {
            ToPlanar(data.GetPixels(indices[n]), values.AsSpan(n * size, size), c, plane, output);
        }

        return tensor(values, [indices.Length, c, data.Height, data.Width]).to(device);
    }

    /// <summary>A float tensor [N, C, H, W] of interleaved byte images of one size.</summary>
    public static Tensor ToTensor(IReadOnlyList<byte[]> images, int width, int height, int channels, DecoderOutput output, Device device)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(device);
        int plane = width * height, size = plane * channels;
        var values = new float[images.Count * size];
        for (int n = 0; n < images.Count; n++)
        {
            if (images[n]?.Length != size)
            {
                throw new ArgumentException($"Image {n} has {images[n]?.Length ?? 0} bytes; {width}x{height}x{channels} needs {size}.", nameof(images));
            }

            ToPlanar(images[n], values.AsSpan(n * size, size), channels, plane, output);
        }

        return tensor(values, [images.Count, channels, height, width]).to(device);
    }

    /// <summary>Interleaved bytes of each image in a network output [N, C, H, W] (tanh pixels, or logits through a sigmoid).</summary>
    public static byte[][] ToBytes(Tensor images, DecoderOutput output)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Images must be [N, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var scope = NewDisposeScope();
        var unit = output == DecoderOutput.Tanh ? images.detach().Plus(1).DividedBy(2) : images.detach().sigmoid();
        var cpu = unit.ClampedTo(0, 1).Times(255).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().cpu();
        int n = (int)cpu.shape[0], size = (int)(cpu.shape[1] * cpu.shape[2] * cpu.shape[3]);
        var flat = cpu.data<byte>().ToArray();
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * size, size).ToArray()).ToArray();
    }

    private static void ToPlanar(ReadOnlySpan<byte> pixels, Span<float> target, int channels, int plane, DecoderOutput output)
    {
        // tanh: 0..255 -> -1..1; logits: 0..255 -> 0..1 (the BCE target).
        float scale = output == DecoderOutput.Tanh ? 2f / 255f : 1f / 255f;
        float shift = output == DecoderOutput.Tanh ? -1f : 0f;
        for (int p = 0; p < plane; p++)
        {
            for (int ch = 0; ch < channels; ch++)
            {
                target[(ch * plane) + p] = (pixels[(p * channels) + ch] * scale) + shift;
            }
        }
    }
}
