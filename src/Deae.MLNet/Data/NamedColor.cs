namespace Deae.MLNet.Data;

/// <summary>A named colour of the Fonts data set.</summary>
/// <param name="Name">Lower-case colour name, used in manifests.</param>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct NamedColor(string Name, byte R, byte G, byte B)
{
    /// <summary>The ten colours of the reference Fonts data set, with its RGB values.</summary>
    public static IReadOnlyList<NamedColor> All { get; } =
    [
        new("red", 220, 20, 60),
        new("orange", 255, 165, 0),
        new("yellow", 255, 255, 0),
        new("green", 0, 128, 0),
        new("cyan", 0, 255, 255),
        new("blue", 0, 0, 255),
        new("purple", 128, 0, 128),
        new("pink", 255, 192, 203),
        new("chocolate", 210, 105, 30),
        new("silver", 192, 192, 192),
    ];

    /// <summary>The colour called <paramref name="name"/>; throws naming the option and the known colours otherwise.</summary>
    /// <param name="name">A colour name (case-insensitive).</param>
    /// <param name="option">The option the name came from, for the error message.</param>
    public static NamedColor Parse(string name, string option)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(option);
        foreach (var color in All)
        {
            if (string.Equals(color.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return color;
            }
        }

        throw new ArgumentException($"{option}: '{name}' is not a known colour (known: {string.Join(", ", All.Select(c => c.Name))}).");
    }

    /// <summary>The named colour nearest to an RGB value (Euclidean distance in RGB), among <paramref name="candidates"/> or all.</summary>
    public static NamedColor Nearest(byte r, byte g, byte b, IEnumerable<NamedColor>? candidates = null)
    {
        return (candidates ?? All).MinBy(c => DistanceSquared(c, r, g, b));
    }

    /// <summary>Squared Euclidean RGB distance between a named colour and an RGB value.</summary>
    public static int DistanceSquared(NamedColor color, byte r, byte g, byte b)
    {
        int dr = color.R - r, dg = color.G - g, db = color.B - b;
        return (dr * dr) + (dg * dg) + (db * db);
    }
}
