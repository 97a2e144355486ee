using Deae.MLNet.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// Reads the colour attributes of a Fonts-like image from its pixels, for judging synthesized images:
/// the background from the border, the font colour from the pixels that differ most from the background.
/// </summary>
public static class ColorOracle
{
    // The glyph's most covered pixels; antialiased edges are mixtures of background and font colour.
    private const int GlyphPixels = 6;

    /// <summary>The median border colour of an interleaved RGB image.</summary>
    public static (byte R, byte G, byte B) BorderColor(ReadOnlySpan<byte> rgb, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"An interleaved RGB image of {width}x{height} has {width * height * 3} bytes; this one has {rgb.Length}.", nameof(rgb));
        }

        var reds = new List<byte>();
        var greens = new List<byte>();
        var blues = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (x == 0 || y == 0 || x == width - 1 || y == height - 1)
                {
                    int p = ((y * width) + x) * 3;
                    reds.Add(rgb[p]);
                    greens.Add(rgb[p + 1]);
                    blues.Add(rgb[p + 2]);
                }
            }
        }

        return (Median(reds), Median(greens), Median(blues));
    }

    /// <summary>The named background colour: the named colour nearest to the median border colour.</summary>
    public static NamedColor Background(ReadOnlySpan<byte> rgb, int width, int height, IEnumerable<NamedColor>? candidates = null)
    {
        var (r, g, b) = BorderColor(rgb, width, height);
        return NamedColor.Nearest(r, g, b, candidates);
    }

    /// <summary>
    /// The named font colour: the named colour (other than the background's) that best explains the
    /// pixels farthest from the background as mixtures of background and font colour.
    /// </summary>
    public static NamedColor Font(ReadOnlySpan<byte> rgb, int width, int height, IEnumerable<NamedColor>? candidates = null)
    {
        var (br, bg, bb) = BorderColor(rgb, width, height);
        var backgroundName = NamedColor.Nearest(br, bg, bb).Name;
        int count = width * height;
        var far = new (float Distance, int Pixel)[count];
        for (int p = 0; p < count; p++)
        {
            float dr = rgb[p * 3] - br, dg = rgb[(p * 3) + 1] - bg, db = rgb[(p * 3) + 2] - bb;
            far[p] = ((dr * dr) + (dg * dg) + (db * db), p);
        }

        Array.Sort(far, (a, b) => b.Distance.CompareTo(a.Distance));
        var top = far.Take(GlyphPixels).Select(f => f.Pixel).ToArray();
        var options = (candidates ?? NamedColor.All).Where(c => c.Name != backgroundName).ToList();
        if (options.Count == 0)
        {
            throw new ArgumentException($"No candidate font colour is left once the background ({backgroundName}) is excluded.", nameof(candidates));
        }

        var image = rgb.ToArray();
        return options.MinBy(c => top.Sum(p => SegmentDistance(image, p, (br, bg, bb), c)));
    }

    /// <summary>Squared distance of pixel p from the segment background → colour c (mixtures of the two).</summary>
    private static float SegmentDistance(byte[] rgb, int p, (byte R, byte G, byte B) background, NamedColor c)
    {
        float vr = c.R - background.R, vg = c.G - background.G, vb = c.B - background.B;
        float pr = rgb[p * 3] - background.R, pg = rgb[(p * 3) + 1] - background.G, pb = rgb[(p * 3) + 2] - background.B;
        float length = (vr * vr) + (vg * vg) + (vb * vb);
        float t = length == 0 ? 0 : Math.Clamp(((pr * vr) + (pg * vg) + (pb * vb)) / length, 0, 1);
        float er = pr - (t * vr), eg = pg - (t * vg), eb = pb - (t * vb);
        return (er * er) + (eg * eg) + (eb * eb);
    }

    private static byte Median(List<byte> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
