namespace Deae.MLNet.Data.Fonts;

/// <summary>One image of the Fonts-like set: a letter with its size, colours and face.</summary>
/// <param name="Letter">The letter (A–Z, a–z).</param>
/// <param name="Size">The size name (see <see cref="FontSizes"/>).</param>
/// <param name="FontColor">The glyph's colour.</param>
/// <param name="BackgroundColor">The background's colour (never the font colour).</param>
/// <param name="Font">The face.</param>
public sealed record FontsSample(char Letter, string Size, NamedColor FontColor, NamedColor BackgroundColor, FontFace Font);
