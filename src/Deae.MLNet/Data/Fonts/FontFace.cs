namespace Deae.MLNet.Data.Fonts;

/// <summary>A TrueType/OpenType face file; its name is the file name without extension.</summary>
/// <param name="Name">The face's name, used as the value of the font attribute.</param>
/// <param name="Path">The font file.</param>
public sealed record FontFace(string Name, string Path);
