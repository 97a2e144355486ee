using Deae.MLNet.IO;
using SkiaSharp;

namespace Deae.MLNet.Data.Fonts;

/// <summary>
/// Renders the Fonts-like data set: a letter drawn centred in a face, size and colour on a plain
/// background. Deterministic: the same samples give the same bytes, whatever the thread count.
/// </summary>
public static class FontsGenerator
{
    /// <summary>The attribute (manifest column) names, in label order.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = ["letter", "size", "font_color", "background_color", "font"];

    /// <summary>Validates <paramref name="options"/> and renders the data set it describes.</summary>
    /// <param name="options">What to render.</param>
    /// <param name="progress">Receives the number of images rendered so far.</param>
    public static ImageDataset Generate(FontsOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Render(Plan(options), options.ImageSize, options.Parallelism, progress);
    }

    /// <summary>
    /// Validates <paramref name="options"/> and lists the images it describes: every combination of
    /// the chosen values with font colour ≠ background colour, sampled down to <see cref="FontsOptions.MaxImages"/>.
    /// </summary>
    public static IReadOnlyList<FontsSample> Plan(FontsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string letters = ValidateLetters(options.Letters);
        var sizes = Distinct(options.Sizes, "Sizes", "--sizes", StringComparer.OrdinalIgnoreCase);
        foreach (string size in sizes)
        {
            _ = FontSizes.Fraction(size);
        }

        var fontColors = Distinct(options.FontColors, "FontColors", "--font-colors", StringComparer.OrdinalIgnoreCase).Select(c => NamedColor.Parse(c, "FontColors (--font-colors)")).ToList();
        var backgroundColors = Distinct(options.BackgroundColors, "BackgroundColors", "--background-colors", StringComparer.OrdinalIgnoreCase).Select(c => NamedColor.Parse(c, "BackgroundColors (--background-colors)")).ToList();
        if (fontColors.All(f => backgroundColors.All(b => b == f)))
        {
            throw new OptionException("BackgroundColors", "--background-colors",
                $"every combination has the same font and background colour ('{fontColors[0].Name}'), so there is nothing to render; add another colour.");
        }

        ValidateImageSize(options.ImageSize);
        if (options.MaxImages is <= 0)
        {
            throw new OptionException("MaxImages", "--max-images", $"{options.MaxImages} must be positive.");
        }

        var fonts = SelectFonts(options, letters);
        var samples = new List<FontsSample>();
        foreach (char letter in letters)
        {
            foreach (string size in sizes)
            {
                foreach (var fontColor in fontColors)
                {
                    foreach (var backgroundColor in backgroundColors)
                    {
                        if (fontColor == backgroundColor)
                        {
                            continue;
                        }

                        foreach (var font in fonts)
                        {
                            samples.Add(new FontsSample(letter, size, fontColor, backgroundColor, font));
                        }
                    }
                }
            }
        }

        return options.MaxImages is int max && max < samples.Count ? Sample(samples, max, options.Seed) : samples;
    }

    /// <summary>Renders <paramref name="samples"/> at <paramref name="imageSize"/> pixels square on every core (or <paramref name="parallelism"/> threads).</summary>
    /// <param name="samples">The images to render, in output order.</param>
    /// <param name="imageSize">Side of the square images.</param>
    /// <param name="parallelism">Threads to use; null for every core.</param>
    /// <param name="progress">Receives the number of images rendered so far.</param>
    public static ImageDataset Render(IReadOnlyList<FontsSample> samples, int imageSize, int? parallelism = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ValidateImageSize(imageSize);
        if (samples.Count == 0)
        {
            throw new ArgumentException("There are no samples to render.", nameof(samples));
        }

        var attributes = AttributesOf(samples);
        // Outlines are extracted once per (face, letter, size): Skia's glyph cache is shared and
        // locked, so asking it per image would serialise the parallel rendering below.
        var outlines = new Dictionary<(FontFace, char, string), SKPath>();
        try
        {
            foreach (var group in samples.GroupBy(s => s.Font))
            {
                using var typeface = LoadTypeface(group.Key);
                foreach (var (letter, size) in group.Select(s => (s.Letter, s.Size)).Distinct())
                {
                    using var font = new SKFont(typeface, FontSizes.Fraction(size) * imageSize);
                    outlines[(group.Key, letter, size)] = font.GetGlyphPath(font.GetGlyph(letter))
                        ?? throw new OptionException("Fonts", "--fonts", $"face '{group.Key.Name}' has no outline for '{letter}'.");
                }
            }

            var pixels = new byte[samples.Count][];
            var labels = new int[samples.Count][];
            int done = 0;
            ParallelWork.For(samples.Count, parallelism, i =>
            {
                var sample = samples[i];
                pixels[i] = RenderOne(sample, outlines[(sample.Font, sample.Letter, sample.Size)], imageSize);
                labels[i] =
                [
                    attributes[0].IndexOf(sample.Letter.ToString()),
                    attributes[1].IndexOf(sample.Size),
                    attributes[2].IndexOf(sample.FontColor.Name),
                    attributes[3].IndexOf(sample.BackgroundColor.Name),
                    attributes[4].IndexOf(sample.Font.Name),
                ];
                int count = Interlocked.Increment(ref done);
                if (progress is not null && (count % 256 == 0 || count == samples.Count))
                {
                    progress.Report(count);
                }
            });
            return new ImageDataset(imageSize, imageSize, 3, attributes, pixels, labels);
        }
        finally
        {
            foreach (var outline in outlines.Values)
            {
                outline.Dispose();
            }
        }
    }

    // One canvas per thread and image size: creating Skia objects per image takes native locks
    // that would serialise the parallel loop.
    [ThreadStatic]
    private static (int Size, SKBitmap Bitmap, SKCanvas Canvas, SKPaint Paint)? t_surface;

    /// <summary>Renders one sample as interleaved RGB bytes.</summary>
    private static byte[] RenderOne(FontsSample sample, SKPath outline, int imageSize)
    {
        if (t_surface is not { } surface || surface.Size != imageSize)
        {
            if (t_surface is { } old)
            {
                old.Paint.Dispose();
                old.Canvas.Dispose();
                old.Bitmap.Dispose();
            }

            var bitmap = new SKBitmap(new SKImageInfo(imageSize, imageSize, SKColorType.Rgba8888, SKAlphaType.Premul));
            surface = (imageSize, bitmap, new SKCanvas(bitmap), new SKPaint { IsAntialias = true });
            t_surface = surface;
        }

        var canvas = surface.Canvas;
        canvas.ResetMatrix();
        canvas.Clear(new SKColor(sample.BackgroundColor.R, sample.BackgroundColor.G, sample.BackgroundColor.B));
        surface.Paint.Color = new SKColor(sample.FontColor.R, sample.FontColor.G, sample.FontColor.B);
        var bounds = outline.TightBounds;

        // A glyph wider or taller than the canvas (less a one-pixel margin) is shrunk to fit, so
        // every glyph is whole and the background shows on every border.
        float room = imageSize - 2f;
        float scale = Math.Min(1f, room / Math.Max(bounds.Width, bounds.Height));
        float x = ((imageSize - (bounds.Width * scale)) / 2f) - (bounds.Left * scale);
        float y = ((imageSize - (bounds.Height * scale)) / 2f) - (bounds.Top * scale);
        canvas.Translate(x, y);
        canvas.Scale(scale);
        canvas.DrawPath(outline, surface.Paint);
        canvas.Flush();

        var rgba = surface.Bitmap.GetPixelSpan();
        var rgb = PixelBuffer.Allocate(imageSize * imageSize * 3);
        for (int p = 0, q = 0; q < rgb.Length; p += 4, q += 3)
        {
            // The background is opaque, so premultiplied and straight colour agree.
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }

        return rgb;
    }

    /// <summary>The attributes of a sample list: the values present, in canonical order.</summary>
    private static List<AttributeDefinition> AttributesOf(IReadOnlyList<FontsSample> samples)
    {
        var letters = samples.Select(s => s.Letter.ToString()).ToHashSet();
        var sizes = samples.Select(s => s.Size).ToHashSet();
        var fontColors = samples.Select(s => s.FontColor.Name).ToHashSet();
        var backgroundColors = samples.Select(s => s.BackgroundColor.Name).ToHashSet();
        var colorOrder = NamedColor.All.Select(c => c.Name).ToList();
        return
        [
            new(AttributeNames[0], FontsOptions.AllLetters.Select(l => l.ToString()).Where(letters.Contains)),
            new(AttributeNames[1], FontSizes.Names.Where(sizes.Contains)),
            new(AttributeNames[2], colorOrder.Where(fontColors.Contains)),
            new(AttributeNames[3], colorOrder.Where(backgroundColors.Contains)),
            new(AttributeNames[4], samples.Select(s => s.Font.Name).Distinct().Order(StringComparer.Ordinal)),
        ];
    }

    private static SKTypeface LoadTypeface(FontFace face) =>
        SKTypeface.FromFile(face.Path) ?? throw new OptionException("Fonts", "--fonts", $"the font file '{face.Path}' could not be read.");

    private static IReadOnlyList<FontFace> SelectFonts(FontsOptions options, string letters)
    {
        if (options.MaxFonts is <= 0)
        {
            throw new OptionException("MaxFonts", "--max-fonts", $"{options.MaxFonts} must be positive.");
        }

        var found = FontCatalog.Discover(options.FontFolder, letters);
        IReadOnlyList<FontFace> chosen = found;
        if (options.Fonts is not null)
        {
            var names = Distinct(options.Fonts, "Fonts", "--fonts", StringComparer.Ordinal);
            chosen = names.Select(n => found.FirstOrDefault(f => f.Name == n)
                ?? throw new OptionException("Fonts", "--fonts", $"'{n}' was not found or lacks a requested letter (found: {string.Join(", ", found.Select(f => f.Name))}).")).ToList();
        }

        return options.MaxFonts is int max ? chosen.Take(max).ToList() : chosen;
    }

    private static string ValidateLetters(string? letters)
    {
        if (string.IsNullOrEmpty(letters))
        {
            throw new OptionException("Letters", "--letters", "no letters were given.");
        }

        foreach (char c in letters)
        {
            if (!FontsOptions.AllLetters.Contains(c))
            {
                throw new OptionException("Letters", "--letters", $"'{c}' is not a letter A–Z or a–z.");
            }
        }

        var duplicate = letters.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new OptionException("Letters", "--letters", $"'{duplicate.Key}' is listed more than once.");
        }

        return letters;
    }

    private static void ValidateImageSize(int imageSize)
    {
        if (imageSize is < 8 or > 1024)
        {
            throw new OptionException("ImageSize", "--image-size", $"{imageSize} is outside 8–1024 pixels.");
        }
    }

    /// <summary>The values, refused when empty or when one is listed twice (colours and sizes are named in any case, so compare them so).</summary>
    private static List<string> Distinct(IReadOnlyList<string>? values, string option, string flag, StringComparer comparer)
    {
        if (values is null || values.Count == 0)
        {
            throw new OptionException(option, flag, "the list of values is empty.");
        }

        var seen = new HashSet<string>(comparer);
        foreach (string value in values)
        {
            if (!seen.Add(value))
            {
                throw new OptionException(option, flag, $"'{value}' is listed more than once.");
            }
        }

        return values.ToList();
    }

    /// <summary>A seeded subset of <paramref name="count"/> samples, kept in their original order.</summary>
    internal static List<T> Sample<T>(IReadOnlyList<T> items, int count, int seed)
    {
        var random = new Random(seed);
        var indices = Enumerable.Range(0, items.Count).ToArray();
        random.Shuffle(indices);
        return indices.Take(count).Order().Select(i => items[i]).ToList();
    }
}
