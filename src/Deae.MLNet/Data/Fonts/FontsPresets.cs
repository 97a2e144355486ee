namespace Deae.MLNet.Data.Fonts;

/// <summary>
/// Named Fonts-like data sets for the paper's experiments, sized to the fonts available. Each preset
/// is a list of parts (e.g. train and test sets) that share their value choices.
/// </summary>
public static class FontsPresets
{
    /// <summary>Table 1 (controllable augmentation): D_L, D_S (a subset with fewer values) and D_test (other background colours).</summary>
    public const string Table1 = "table1";

    /// <summary>Table 2 (bias): G1, G2, G3 (letters seen on 1, 3, 6 background colours), their union D_B (the biased training set), an unbiased training set and an unbiased test set.</summary>
    public const string Table2Bias = "table2-bias";

    /// <summary>Section 3.2: a training set on six colours and a test set whose font and background colours were never seen.</summary>
    public const string Section32Colors = "section3.2-colors";

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Table1, Table2Bias, Section32Colors];

    private static readonly string[] s_fontColors = ["red", "orange", "yellow", "green", "cyan", "blue"];

    /// <summary>One part of a preset: its folder name, what it is, and the images it holds.</summary>
    /// <param name="Name">The part's folder name (e.g. D_L).</param>
    /// <param name="Description">What the part is for.</param>
    /// <param name="Samples">The images of the part.</param>
    public sealed record Part(string Name, string Description, IReadOnlyList<FontsSample> Samples);

    /// <summary>Builds the parts of preset <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="fontFolder">Font folder; null for the system's fonts.</param>
    /// <param name="maxFonts">At most this many faces; null for the preset's own number (10 for Table 1 and Section 3.2, 22 for Table 2), or fewer if fewer are installed.</param>
    /// <param name="seed">Seed of the train/test split where a preset has one.</param>
    public static IReadOnlyList<Part> Build(string name, string? fontFolder = null, int? maxFonts = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            Table1 => BuildTable1(fontFolder, maxFonts ?? 10),
            Table2Bias => BuildTable2(fontFolder, maxFonts ?? 22, seed),
            Section32Colors => BuildSection32(fontFolder, maxFonts ?? 10),
            _ => throw new OptionException("Preset", "--preset", $"'{name}' is not a preset (presets: {string.Join(", ", Names)})."),
        };
    }

    private static IReadOnlyList<Part> BuildTable1(string? fontFolder, int maxFonts)
    {
        // Paper: D_L 10 letters x 3 sizes x 6 font colours x 3 backgrounds x 10 fonts = 5400; D_S keeps
        // 2 sizes, 3 font colours and 3 fonts (540); D_test has the same values as D_L but three other
        // background colours. Ten colours cannot give 6 + 3 + 3 disjoint ones, so D_test's backgrounds
        // include two font colours and those combinations (font = background) are left out.
        const string letters = "ABCDEFGHIJ";
        var large = Options(letters, FontSizes.Names, s_fontColors, ["purple", "pink", "silver"], fontFolder, maxFonts);
        var small = Options(letters, ["small", "large"], ["red", "yellow", "blue"], ["purple", "pink", "silver"], fontFolder, Math.Min(3, maxFonts));
        var test = Options(letters, FontSizes.Names, s_fontColors, ["chocolate", "green", "blue"], fontFolder, maxFonts);
        return
        [
            new("D_L", "large training set", FontsGenerator.Plan(large)),
            new("D_S", "small training set (subset of D_L's values)", FontsGenerator.Plan(small)),
            new("D_test", "test set: D_L's values with other background colours", FontsGenerator.Plan(test)),
        ];
    }

    private static IReadOnlyList<Part> BuildTable2(string? fontFolder, int maxFonts, int seed)
    {
        // Every letter on 6 background colours, split in halves: the test set is one half, the
        // unbiased training set the other, and the biased groups are the training half restricted to
        // 1 (G1), 3 (G2) or all 6 (G3) background colours for their letters.
        string[] backgrounds = ["purple", "pink", "chocolate", "silver", "green", "blue"];
        var all = FontsGenerator.Plan(Options(FontsOptions.AllLetters, FontSizes.Names, s_fontColors, backgrounds, fontFolder, maxFonts));
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        var train = order.Take(all.Count / 2).Order().Select(i => all[i]).ToList();
        var test = order.Skip(all.Count / 2).Order().Select(i => all[i]).ToList();

        const string g1 = "ABCDEFGHIJKLMNO", g2 = "PQRSTUVWXYZabcd", g3 = "efghijklmnopqrstuvwxyz";
        List<FontsSample> Group(string letters, int colours) =>
            train.Where(s => letters.Contains(s.Letter) && Array.IndexOf(backgrounds, s.BackgroundColor.Name) < colours).ToList();

        List<FontsSample> first = Group(g1, 1), second = Group(g2, 3), third = Group(g3, 6);
        return
        [
            new("G1", "biased: 15 letters on 1 background colour", first),
            new("G2", "biased: 15 letters on 3 background colours", second),
            new("G3", "biased: 22 letters on 6 background colours", third),
            new("D_B", "biased training set: G1, G2 and G3 together", [.. first, .. second, .. third]),
            new("D_UB", "unbiased training set: 52 letters on 6 background colours", train),
            new("D_T", "unbiased test set: 52 letters on 6 background colours, disjoint from training", test),
        ];
    }

    private static IReadOnlyList<Part> BuildSection32(string? fontFolder, int maxFonts)
    {
        string[] unseen = ["purple", "pink", "chocolate", "silver"];
        return
        [
            new("train", "training set: font and background colours from six colours", FontsGenerator.Plan(Options(FontsOptions.AllLetters, FontSizes.Names, s_fontColors, s_fontColors, fontFolder, maxFonts))),
            new("unseen", "test set: font and background colours never seen in training", FontsGenerator.Plan(Options(FontsOptions.AllLetters, FontSizes.Names, unseen, unseen, fontFolder, maxFonts))),
        ];
    }

    private static FontsOptions Options(string letters, IReadOnlyList<string> sizes, IReadOnlyList<string> fontColors, IReadOnlyList<string> backgrounds, string? fontFolder, int maxFonts) => new()
    {
        Letters = letters,
        Sizes = sizes,
        FontColors = fontColors,
        BackgroundColors = backgrounds,
        FontFolder = fontFolder,
        MaxFonts = maxFonts,
    };
}
