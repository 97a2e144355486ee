namespace Deae.MLNet.Data.Fonts;

/// <summary>The size attribute of the Fonts-like set: the font's em size as a fraction of the canvas.</summary>
public static class FontSizes
{
    /// <summary>Size names in label order, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["small", "medium", "large"];

    /// <summary>The em size of <paramref name="name"/> as a fraction of the canvas side.</summary>
    public static float Fraction(string name) => name switch
    {
        null => throw new ArgumentNullException(nameof(name)),
        "small" => 0.5f,
        "medium" => 0.7f,
        "large" => 0.9f,
        _ => throw new OptionException("Sizes", "--sizes", $"'{name}' is not a size (sizes: {string.Join(", ", Names)})."),
    };
}
