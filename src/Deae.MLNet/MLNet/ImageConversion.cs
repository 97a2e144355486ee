using Deae.MLNet.Data;
using Microsoft.ML.Data;

namespace Deae.MLNet.MLNet;

/// <summary>
/// Converts between the model's images (interleaved bytes: RGB, or grey) and ML.NET's <see cref="MLImage"/>
/// or PNG bytes. Grey models read an MLImage's red channel, as the estimator's ExtractPixels step does.
/// </summary>
public static class ImageConversion
{
    /// <summary>An <see cref="MLImage"/> (RGBA, opaque) of interleaved RGB or grey bytes.</summary>
    /// <param name="pixels">width × height × channels bytes.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    public static MLImage ToMLImage(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        CheckLength(pixels.Length, width, height, channels);
        var rgba = new byte[width * height * 4];
        for (int p = 0; p < width * height; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                rgba[(p * 4) + c] = pixels[(p * channels) + (channels == 1 ? 0 : c)];
            }

            rgba[(p * 4) + 3] = 255;
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
    }

    /// <summary>Interleaved RGB (or, for <paramref name="channels"/> = 1, red-channel) bytes of an <see cref="MLImage"/>.</summary>
    /// <param name="image">The image; its size must be <paramref name="width"/> × <paramref name="height"/>.</param>
    /// <param name="width">The size the model was trained on.</param>
    /// <param name="height">The size the model was trained on.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    public static byte[] FromMLImage(MLImage image, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (grey) or 3 (RGB) channels.");
        }

        if (image.Width != width || image.Height != height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height} but the model was trained on {width}x{height}; resize it first (ML.NET's ResizeImages, or MLImage tools).", nameof(image));
        }

        (int r, int g, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => (0, 1, 2),
            MLPixelFormat.Bgra32 => (2, 1, 0),
            _ => throw new ArgumentException($"The image's pixel format {image.PixelFormat} is not supported (Rgba32 or Bgra32).", nameof(image)),
        };
        var source = image.Pixels;
        var bytes = new byte[width * height * channels];
        for (int p = 0; p < width * height; p++)
        {
            if (channels == 1)
            {
                bytes[p] = source[(p * 4) + r];
                continue;
            }

            bytes[p * 3] = source[(p * 4) + r];
            bytes[(p * 3) + 1] = source[(p * 4) + g];
            bytes[(p * 3) + 2] = source[(p * 4) + b];
        }

        return bytes;
    }

    /// <summary>PNG bytes of interleaved RGB or grey bytes.</summary>
    /// <param name="pixels">width × height × channels bytes.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    public static byte[] ToPng(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        CheckLength(pixels.Length, width, height, channels);
        return DatasetWriter.EncodePng(pixels, width, height, channels);
    }

    private static void CheckLength(int length, int width, int height, int channels)
    {
        if (channels is not (1 or 3) || width <= 0 || height <= 0 || length != width * height * channels)
        {
            throw new ArgumentException($"{length} bytes are not a {width}x{height} image with {channels} channel(s) (1 or 3).");
        }
    }
}
