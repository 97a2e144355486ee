using Deae.MLNet.IO;
using SkiaSharp;

namespace Deae.MLNet.Data;

/// <summary>
/// Reads a data set folder (or any manifest CSV whose first column holds image paths relative to the
/// manifest) into an <see cref="ImageDataset"/> of bytes.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads the manifest at <paramref name="manifestPath"/> (a file, or a folder holding <c>manifest.csv</c>).</summary>
    /// <param name="manifestPath">The manifest file or its folder.</param>
    /// <param name="attributeColumns">The attribute columns to keep, in order; null keeps every column but the image column.</param>
    /// <param name="channels">Channels to decode to (1 or 3); null takes them from dataset.json, else 3.</param>
    public static ImageDataset Read(string manifestPath, IReadOnlyList<string>? attributeColumns = null, int? channels = null)
    {
        if (channels is not (null or 1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"Channels {channels} must be 1 (grey) or 3 (RGB).");
        }

        string manifest = ResolveManifest(manifestPath);
        string folder = Path.GetDirectoryName(manifest)!;
        var rows = Csv.ReadRows(manifest);
        if (rows.Count < 2)
        {
            throw new InvalidDataException($"Manifest '{manifest}' has no data rows.");
        }

        string[] header = rows[0];
        int imageColumn = Array.IndexOf(header, DatasetFiles.ImageColumn);
        if (imageColumn < 0)
        {
            throw new InvalidDataException($"Manifest '{manifest}' has no '{DatasetFiles.ImageColumn}' column (columns: {string.Join(", ", header)}).");
        }

        // Before any row is indexed by column, so that a short row is named rather than failing deep inside.
        int shortRow = rows.FindIndex(1, r => r.Length != header.Length);
        if (shortRow >= 0)
        {
            throw new InvalidDataException($"Manifest '{manifest}' row {shortRow + 1} has {rows[shortRow].Length} fields; the header has {header.Length}.");
        }

        var names = attributeColumns ?? header.Where((_, i) => i != imageColumn).ToList();
        var columns = names.Select(n =>
        {
            int index = Array.IndexOf(header, n);
            return index >= 0 ? index : throw new ArgumentException($"Manifest '{manifest}' has no attribute column '{n}' (columns: {string.Join(", ", header)}).", nameof(attributeColumns));
        }).ToArray();

        string descriptionPath = Path.Combine(folder, DatasetFiles.Description);
        var description = File.Exists(descriptionPath) ? DatasetDescription.Read(descriptionPath) : null;
        int decodeChannels = channels ?? description?.Channels ?? 3;
        if (decodeChannels is not (1 or 3))
        {
            throw new InvalidDataException($"'{descriptionPath}' says {decodeChannels} channels; images are read with 1 (grey) or 3 (RGB).");
        }

        var attributes = names.Select((name, k) =>
        {
            var described = description?.Attributes.FirstOrDefault(a => a.Name == name)?.Values;
            var present = rows.Skip(1).Select(r => r[columns[k]]).Distinct(StringComparer.Ordinal);
            return new AttributeDefinition(name, described ?? present.Order(StringComparer.Ordinal).ToList());
        }).ToList();

        // dataset.json's value lists must cover the manifest: name the first row that strays, with both files.
        for (int k = 0; k < names.Count; k++)
        {
            var values = attributes[k].Values.ToHashSet(StringComparer.Ordinal);
            int stray = rows.FindIndex(1, r => !values.Contains(r[columns[k]]));
            if (stray >= 0)
            {
                throw new InvalidDataException($"Manifest '{manifest}' line {stray + 1}: '{rows[stray][columns[k]]}' is not a value of attribute '{names[k]}' in '{descriptionPath}' (values: {string.Join(", ", attributes[k].Values)}).");
            }
        }

        int count = rows.Count - 1;
        var pixels = new byte[count][];
        var labels = new int[count][];
        var sizes = new (int Width, int Height)[count];
        ParallelWork.For(count, null, i =>
        {
            string[] row = rows[i + 1];
            labels[i] = columns.Select((c, k) => attributes[k].IndexOf(row[c])).ToArray();
            string imagePath = Path.Combine(folder, row[imageColumn]);
            var (w, h, bytes) = DecodeImage(imagePath, decodeChannels);
            sizes[i] = (w, h);
            pixels[i] = bytes;
        });

        // Judged after every image is read, so that the odd one out is named, whichever was decoded first.
        var common = sizes.GroupBy(size => size).MaxBy(g => g.Count())!;
        var (width, height) = common.Key;
        int odd = Array.FindIndex(sizes, size => size != common.Key);
        if (odd >= 0)
        {
            throw new InvalidDataException($"Image '{Path.Combine(folder, rows[odd + 1][imageColumn])}' is {sizes[odd].Width}x{sizes[odd].Height}; {common.Count()} of the {count} images are {width}x{height}.");
        }

        return new ImageDataset(width, height, decodeChannels, attributes, pixels, labels);
    }

    /// <summary>Decodes an image file to interleaved bytes with <paramref name="channels"/> channels (grey is the mean of R, G, B).</summary>
    public static (int Width, int Height, byte[] Pixels) DecodeImage(string path, int channels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images are decoded to 1 (grey) or 3 (RGB) channels.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image '{path}' does not exist.", path);
        }

        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"Image '{path}' could not be decoded (not a PNG/JPEG/BMP/WebP file, or truncated).");
        using var rgba = bitmap.Copy(SKColorType.Rgba8888) ?? throw new InvalidDataException($"Image '{path}' could not be converted to RGBA.");
        var source = rgba.GetPixelSpan();
        var pixels = PixelBuffer.Allocate(rgba.Width * rgba.Height * channels);
        for (int p = 0, q = 0; q < pixels.Length; p += 4, q += channels)
        {
            if (channels == 1)
            {
                pixels[q] = (byte)((source[p] + source[p + 1] + source[p + 2] + 1) / 3);
            }
            else
            {
                pixels[q] = source[p];
                pixels[q + 1] = source[p + 1];
                pixels[q + 2] = source[p + 2];
            }
        }

        return (rgba.Width, rgba.Height, pixels);
    }

    /// <summary>The manifest file for a path that is a manifest or a data set folder.</summary>
    public static string ResolveManifest(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        string full = Path.GetFullPath(manifestPath);
        if (Directory.Exists(full))
        {
            string inFolder = Path.Combine(full, DatasetFiles.Manifest);
            return File.Exists(inFolder) ? inFolder
                : throw new FileNotFoundException($"Data set folder '{full}' has no {DatasetFiles.Manifest}.", inFolder);
        }

        return File.Exists(full) ? full
            : throw new FileNotFoundException($"Data set '{full}' does not exist (expected a data set folder or its {DatasetFiles.Manifest}).", full);
    }
}
