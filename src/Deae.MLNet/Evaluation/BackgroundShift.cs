using Deae.MLNet.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>
/// Repaints the background of a real Fonts-like image with another colour, keeping the glyph exactly:
/// each pixel of a rendered glyph is a blend α·font + (1 − α)·background, so projecting it onto the
/// background → font segment recovers α, and the pixel is redrawn over the new background. This makes
/// real images with colours never rendered (half-way between two seen ones), whose letter, size, font
/// and font colour are known, to check the oracles on the kind of image an interpolation draws.
/// </summary>
internal static class BackgroundShift
{
    /// <summary>
    /// The image with its background moved <paramref name="weight"/> of the way from <paramref name="background"/>
    /// to <paramref name="toward"/> (0 keeps it, 1 paints <paramref name="toward"/>).
    /// </summary>
    public static byte[] Move(ReadOnlySpan<byte> rgb, NamedColor font, NamedColor background, NamedColor toward, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 1.0);
        if (rgb.Length % 3 != 0)
        {
            throw new ArgumentException($"An interleaved RGB image has a multiple of 3 bytes; this one has {rgb.Length}.", nameof(rgb));
        }

        if (font == background)
        {
            throw new ArgumentException($"Font and background are both {font.Name}: no glyph to keep.", nameof(font));
        }

        double[] from = [background.R, background.G, background.B];
        double[] glyph = [font.R, font.G, font.B];
        double[] target = [toward.R, toward.G, toward.B];
        double[] to = [.. from.Select((c, k) => c + (weight * (target[k] - c)))];
        double[] axis = [.. glyph.Select((c, k) => c - from[k])];
        double length = (axis[0] * axis[0]) + (axis[1] * axis[1]) + (axis[2] * axis[2]);
        var moved = new byte[rgb.Length];
        for (int p = 0; p < rgb.Length; p += 3)
        {
            double alpha = 0;
            for (int k = 0; k < 3; k++)
            {
                alpha += (rgb[p + k] - from[k]) * axis[k];
            }

            alpha = Math.Clamp(alpha / length, 0, 1);
            for (int k = 0; k < 3; k++)
            {
                moved[p + k] = (byte)Math.Round(Math.Clamp((alpha * glyph[k]) + ((1 - alpha) * to[k]), 0, 255));
            }
        }

        return moved;
    }
}
