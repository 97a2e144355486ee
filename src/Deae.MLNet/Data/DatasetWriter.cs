using System.Text;
using System.Text.Json;
using Deae.MLNet.IO;
using SkiaSharp;

namespace Deae.MLNet.Data;

/// <summary>
/// Writes an <see cref="ImageDataset"/> as a folder: <c>images/*.png</c>, <c>manifest.csv</c> and
/// <c>dataset.json</c>. The folder appears whole or not at all: everything is written to a sibling
/// temporary folder that is renamed into place at the end.
/// </summary>
public static class DatasetWriter
{
    /// <summary>
    /// Throws, naming the folder, if <paramref name="folder"/> cannot be written: it exists and
    /// <paramref name="overwrite"/> is false, or its parent cannot be created or written. Call it
    /// before expensive work so that a doomed run fails at once.
    /// </summary>
    public static void EnsureWritable(string folder, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = FullFolder(folder);
        if (File.Exists(full))
        {
            throw new IOException($"Output folder '{full}' is a file.");
        }

        if (Directory.Exists(full) && !overwrite)
        {
            throw new IOException($"Output folder '{full}' already exists; pass --overwrite (overwrite: true) to replace it.");
        }

        if (Directory.Exists(full) && !IsDataSetFolder(full))
        {
            throw new IOException($"Output folder '{full}' exists and is not a data set (no {DatasetFiles.Description}, in it or in each sub-folder); overwriting replaces only data set folders, so choose a new folder.");
        }

        string parent = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(parent);
            string probe = Path.Combine(parent, $".deae-write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Output folder '{full}' cannot be written: {ex.Message}", ex);
        }
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="folder"/>.</summary>
    /// <param name="data">The images and labels.</param>
    /// <param name="folder">The data set folder to create.</param>
    /// <param name="generator">What made the data (recorded in dataset.json).</param>
    /// <param name="overwrite">Whether an existing folder may be replaced.</param>
    /// <param name="progress">Receives the number of images written so far.</param>
    /// <param name="extraFiles">More files for the folder (name → content), written in the same atomic step.</param>
    /// <returns>The manifest's full path.</returns>
    public static string Write(ImageDataset data, string folder, string generator, bool overwrite, IProgress<int>? progress = null, IReadOnlyDictionary<string, byte[]>? extraFiles = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(generator);
        foreach (string name in extraFiles?.Keys ?? [])
        {
            CheckPlainName(name, "Extra file", nameof(extraFiles));
            if (name is DatasetFiles.Manifest or DatasetFiles.Description or DatasetFiles.Images)
            {
                throw new ArgumentException($"Extra file '{name}' would replace the data set's own {name}.", nameof(extraFiles));
            }
        }

        string full = Staged(folder, overwrite, staging =>
        {
            WriteContent(data, staging, generator, progress);
            foreach (var (name, content) in extraFiles ?? new Dictionary<string, byte[]>())
            {
                File.WriteAllBytes(Path.Combine(staging, name), content);
            }
        });
        return Path.Combine(full, DatasetFiles.Manifest);
    }

    /// <summary>
    /// Writes several data sets as sub-folders of <paramref name="folder"/> (e.g. the train and test
    /// sets of a preset), each rendered only when its turn comes. The whole folder appears at the end.
    /// </summary>
    /// <param name="parts">Each sub-folder's name and a function that renders its data.</param>
    /// <param name="folder">The folder to create.</param>
    /// <param name="generator">What made the data (recorded in each dataset.json).</param>
    /// <param name="overwrite">Whether an existing folder may be replaced.</param>
    /// <param name="onPart">Told each part's name before it is rendered.</param>
    /// <returns>The full path of each part's manifest once published, in part order.</returns>
    public static IReadOnlyList<string> WriteParts(IReadOnlyList<(string Name, Func<ImageDataset> Render)> parts, string folder, string generator, bool overwrite, Action<string>? onPart = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentException.ThrowIfNullOrEmpty(generator);
        foreach (var (name, _) in parts)
        {
            CheckPlainName(name, "Part", nameof(parts));
        }

        if (parts.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Part '{twice.Key}' is named {twice.Count()} times; each part needs its own sub-folder.", nameof(parts));
        }

        string full = Staged(folder, overwrite, staging =>
        {
            Directory.CreateDirectory(staging);
            foreach (var (name, render) in parts)
            {
                onPart?.Invoke(name);
                WriteContent(render(), Path.Combine(staging, name), generator, null);
            }
        });
        return parts.Select(p => Path.Combine(full, p.Name, DatasetFiles.Manifest)).ToList();
    }

    /// <summary>The folder's full path without a trailing separator ("out/" and "out" are one folder, whose siblings stage it).</summary>
    private static string FullFolder(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    /// <summary>
    /// Whether replacing <paramref name="folder"/> can only lose a data set: it is empty, holds a
    /// dataset.json, or every sub-folder does and there is nothing else (the parts of a preset).
    /// </summary>
    private static bool IsDataSetFolder(string folder)
    {
        if (File.Exists(Path.Combine(folder, DatasetFiles.Description)) || !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            return true;
        }

        var subFolders = Directory.GetDirectories(folder);
        return subFolders.Length > 0 && !Directory.EnumerateFiles(folder).Any()
            && subFolders.All(d => File.Exists(Path.Combine(d, DatasetFiles.Description)));
    }

    /// <summary>A name that stays inside the staging folder: one path segment, no separators, not . or ..</summary>
    private static void CheckPlainName(string name, string what, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || Path.GetFileName(name) != name || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"{what} name '{name}' must be a plain file name (no folders, not . or ..).", parameter);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> on a sibling staging folder and, if it succeeds, moves that folder
    /// into place; the staging folder is removed whatever happens. Returns the folder's full path.
    /// </summary>
    private static string Staged(string folder, bool overwrite, Action<string> write)
    {
        EnsureWritable(folder, overwrite);
        string full = FullFolder(folder);
        string staging = $"{full}.partial-{Guid.NewGuid():N}";
        try
        {
            write(staging);
            Publish(staging, full, overwrite);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return full;
    }

    /// <summary>Encodes one image as PNG (grey or RGB).</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3) || pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"A PNG of {width}x{height} needs 1 (grey) or 3 (RGB) channels and width x height x channels bytes; got {channels} channel(s) and {pixels.Length} bytes.", nameof(pixels));
        }

        var info = new SKImageInfo(width, height, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        byte[] packed;
        if (channels == 1)
        {
            packed = pixels.ToArray();
        }
        else
        {
            packed = new byte[width * height * 4];
            for (int p = 0, q = 0; p < pixels.Length; p += 3, q += 4)
            {
                packed[q] = pixels[p];
                packed[q + 1] = pixels[p + 1];
                packed[q + 2] = pixels[p + 2];
                packed[q + 3] = 255;
            }
        }

        using var image = SKImage.FromPixelCopy(info, packed, info.RowBytes);
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private static void WriteContent(ImageDataset data, string staging, string generator, IProgress<int>? progress)
    {
        string images = Path.Combine(staging, DatasetFiles.Images);
        Directory.CreateDirectory(images);
        var names = Enumerable.Range(0, data.Count).Select(DatasetFiles.ImagePath).ToArray();
        int done = 0;
        ParallelWork.For(data.Count, null, i =>
        {
            File.WriteAllBytes(Path.Combine(staging, names[i]), EncodePng(data.GetPixels(i), data.Width, data.Height, data.Channels));
            int count = Interlocked.Increment(ref done);
            if (progress is not null && (count % 256 == 0 || count == data.Count))
            {
                progress.Report(count);
            }
        });

        var manifest = new StringBuilder();
        manifest.Append(Csv.FormatRow([DatasetFiles.ImageColumn, .. data.Attributes.Select(a => a.Name)])).Append('\n');
        for (int i = 0; i < data.Count; i++)
        {
            int row = i;
            manifest.Append(Csv.FormatRow([names[i], .. Enumerable.Range(0, data.Attributes.Count).Select(a => data.GetValue(row, a))])).Append('\n');
        }

        File.WriteAllText(Path.Combine(staging, DatasetFiles.Manifest), manifest.ToString(), new UTF8Encoding(false));
        var description = new DatasetDescription
        {
            Generator = generator,
            Width = data.Width,
            Height = data.Height,
            Channels = data.Channels,
            Count = data.Count,
            Attributes = data.Attributes.Select(a => new DatasetDescription.AttributeEntry { Name = a.Name, Values = [.. a.Values] }).ToList(),
        };
        File.WriteAllText(Path.Combine(staging, DatasetFiles.Description), JsonSerializer.Serialize(description, DatasetDescription.s_json) + "\n", new UTF8Encoding(false));
    }

    /// <summary>Moves the finished staging folder into place, replacing an old folder only when asked.</summary>
    private static void Publish(string staging, string target, bool overwrite)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        if (!overwrite)
        {
            throw new IOException($"Output folder '{target}' already exists; pass --overwrite (overwrite: true) to replace it.");
        }

        string retired = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, retired);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(retired, target);
            throw;
        }

        Directory.Delete(retired, recursive: true);
    }
}
