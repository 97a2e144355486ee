using Deae.MLNet.Data;
using Deae.MLNet.IO;

namespace Deae.MLNet.Visualization;

/// <summary>Lays images out as a grid PNG, for people to look at samples, reconstructions and swaps.</summary>
public static class ImageGrid
{
    /// <summary>Composes equally sized interleaved images (row-major in the grid) into one RGB image.</summary>
    /// <param name="images">The images, each width × height × channels bytes (1 or 3 channels).</param>
    /// <param name="width">Width of each image.</param>
    /// <param name="height">Height of each image.</param>
    /// <param name="channels">Channels of each image (1 or 3).</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="scale">Integer magnification (nearest neighbour), so small images stay legible.</param>
    /// <param name="gap">Pixels of white between images.</param>
    /// <returns>The grid's width, height and RGB bytes.</returns>
    public static (int Width, int Height, byte[] Rgb) Compose(IReadOnlyList<byte[]> images, int width, int height, int channels, int columns, int scale = 1, int gap = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        if (images.Count == 0)
        {
            throw new ArgumentException("There are no images to lay out.", nameof(images));
        }

        int rows = (images.Count + columns - 1) / columns;
        int cellW = (width * scale) + gap, cellH = (height * scale) + gap;
        int gridW = (columns * cellW) + gap, gridH = (rows * cellH) + gap;
        var rgb = new byte[gridW * gridH * 3];
        Array.Fill(rgb, (byte)255);
        for (int n = 0; n < images.Count; n++)
        {
            if (images[n].Length != width * height * channels)
            {
                throw new ArgumentException($"Image {n} has {images[n].Length} bytes; expected {width * height * channels}.", nameof(images));
            }

            int left = gap + ((n % columns) * cellW), top = gap + ((n / columns) * cellH);
            for (int y = 0; y < height * scale; y++)
            {
                for (int x = 0; x < width * scale; x++)
                {
                    int source = (((y / scale) * width) + (x / scale)) * channels;
                    int target = (((top + y) * gridW) + left + x) * 3;
                    for (int c = 0; c < 3; c++)
                    {
                        rgb[target + c] = images[n][source + (channels == 1 ? 0 : c)];
                    }
                }
            }
        }

        return (gridW, gridH, rgb);
    }

    /// <summary>Writes images of <paramref name="data"/> at <paramref name="indices"/> as a grid PNG.</summary>
    /// <param name="data">The data set holding the images.</param>
    /// <param name="indices">Which images, in grid order.</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="path">The PNG file to write (atomically).</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="scale">Integer magnification.</param>
    public static void Save(ImageDataset data, IReadOnlyList<int> indices, int columns, string path, bool overwrite, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        var images = indices.Select(i => data.GetPixels(i).ToArray()).ToList();
        SavePng(images, data.Width, data.Height, data.Channels, columns, path, overwrite, scale);
    }

    /// <summary>Writes equally sized images as a grid PNG (atomically).</summary>
    /// <param name="images">The images, each width × height × channels bytes.</param>
    /// <param name="width">Width of each image.</param>
    /// <param name="height">Height of each image.</param>
    /// <param name="channels">Channels of each image (1 or 3).</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="scale">Integer magnification.</param>
    public static void SavePng(IReadOnlyList<byte[]> images, int width, int height, int channels, int columns, string path, bool overwrite, int scale = 1) =>
        AtomicFile.WriteAllBytes(path, ToPng(images, width, height, channels, columns, scale), overwrite);

    /// <summary>Equally sized images as the bytes of a grid PNG (for notebooks, web pages, or a file).</summary>
    /// <param name="images">The images, each width × height × channels bytes.</param>
    /// <param name="width">Width of each image.</param>
    /// <param name="height">Height of each image.</param>
    /// <param name="channels">Channels of each image (1 or 3).</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="scale">Integer magnification.</param>
    public static byte[] ToPng(IReadOnlyList<byte[]> images, int width, int height, int channels, int columns, int scale = 1)
    {
        var (w, h, rgb) = Compose(images, width, height, channels, columns, scale);
        return DatasetWriter.EncodePng(rgb, w, h, 3);
    }
}
