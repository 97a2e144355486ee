namespace Deae.MLNet.Data.Fonts;

/// <summary>
/// Options of the Fonts-like generator: which values of each attribute to render. The set is every
/// combination of the chosen values with font colour ≠ background colour, optionally sampled down.
/// </summary>
public sealed class FontsOptions
{
    /// <summary>All 52 letters, upper case first.</summary>
    public const string AllLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Letters to render (each a character A–Z or a–z). Default: all 52.</summary>
    public string Letters = AllLetters;

    /// <summary>Size names to render (small, medium, large). Default: all three.</summary>
    public IReadOnlyList<string> Sizes = FontSizes.Names;

    /// <summary>Font colour names (see <see cref="NamedColor.All"/>). Default: all ten.</summary>
    public IReadOnlyList<string> FontColors = NamedColor.All.Select(c => c.Name).ToArray();

    /// <summary>Background colour names (see <see cref="NamedColor.All"/>). Default: all ten.</summary>
    public IReadOnlyList<string> BackgroundColors = NamedColor.All.Select(c => c.Name).ToArray();

    /// <summary>A folder of .ttf/.otf faces (searched recursively); null for the system's fonts.</summary>
    public string? FontFolder;

    /// <summary>Face names to use (file names without extension); null for every face found.</summary>
    public IReadOnlyList<string>? Fonts;

    /// <summary>Use at most this many faces (the first by name); null for no limit.</summary>
    public int? MaxFonts;

    /// <summary>Side of the square images in pixels. 32 suits CPU training; the reference network uses 128.</summary>
    public int ImageSize = 32;

    /// <summary>Keep a random subset of at most this many images (chosen with <see cref="Seed"/>); null keeps all.</summary>
    public int? MaxImages;

    /// <summary>Seed of the subset choice. Rendering itself has no randomness.</summary>
    public int Seed = 1;

    /// <summary>Threads used to render; null uses every core.</summary>
    public int? Parallelism;
}
