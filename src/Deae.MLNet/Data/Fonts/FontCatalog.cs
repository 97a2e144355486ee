using SkiaSharp;

namespace Deae.MLNet.Data.Fonts;

/// <summary>Finds the font faces the Fonts-like generator can use.</summary>
public static class FontCatalog
{
    private static readonly string[] s_extensions = [".ttf", ".otf", ".ttc"];

    /// <summary>The folders searched when no font folder is given: the system's font folders.</summary>
    public static IReadOnlyList<string> SystemFontFolders { get; } = OperatingSystem.IsWindows()
        ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts")]
        : OperatingSystem.IsMacOS()
            ? ["/System/Library/Fonts", "/Library/Fonts", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Fonts")]
            : ["/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fonts")];

    /// <summary>
    /// Every face in <paramref name="folder"/> (searched recursively), or in the system font folders
    /// when it is null, that renders all of <paramref name="letters"/>. Sorted by name, so the order
    /// (and hence the labels) does not depend on the file system.
    /// </summary>
    /// <param name="folder">A font folder, or null for the system's fonts.</param>
    /// <param name="letters">Letters every returned face must have glyphs for.</param>
    public static IReadOnlyList<FontFace> Discover(string? folder, string letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        IEnumerable<string> roots;
        if (folder is not null)
        {
            if (!Directory.Exists(folder))
            {
                throw new OptionException("FontFolder", "--font-folder", $"the folder '{folder}' does not exist.");
            }

            roots = [folder];
        }
        else
        {
            roots = SystemFontFolders.Where(Directory.Exists);
        }

        var faces = new SortedDictionary<string, FontFace>(StringComparer.Ordinal);
        foreach (string root in roots)
        {
            // Sorted: when two files give one face name (OTF/x.otf and TTF/x.ttf), the same one wins on every file system.
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (!s_extensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
                {
                    continue;
                }

                string name = Path.GetFileNameWithoutExtension(file);
                if (!faces.ContainsKey(name) && HasGlyphs(file, letters))
                {
                    faces.Add(name, new FontFace(name, Path.GetFullPath(file)));
                }
            }
        }

        if (faces.Count == 0)
        {
            string where = folder is null ? $"the system font folders ({string.Join(", ", SystemFontFolders)})" : $"'{folder}'";
            throw new OptionException("FontFolder", "--font-folder",
                $"no TrueType/OpenType face with glyphs for every requested letter was found in {where}. " +
                "Install fonts (on Debian/Ubuntu: apt-get install fonts-dejavu-core) or pass a folder of .ttf/.otf files.");
        }

        return faces.Values.ToList();
    }

    private static bool HasGlyphs(string file, string letters)
    {
        using var typeface = SKTypeface.FromFile(file);
        if (typeface is null)
        {
            return false;
        }

        using var font = new SKFont(typeface);
        return font.ContainsGlyphs(letters);
    }
}
