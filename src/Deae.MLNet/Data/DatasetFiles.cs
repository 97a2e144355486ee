namespace Deae.MLNet.Data;

/// <summary>The file names of a data set folder written by <see cref="DatasetWriter"/>.</summary>
public static class DatasetFiles
{
    /// <summary>The manifest: CSV with a header, the image path relative to the manifest, then one column per attribute.</summary>
    public const string Manifest = "manifest.csv";

    /// <summary>The description: image size, channels and every attribute's ordered values (JSON).</summary>
    public const string Description = "dataset.json";

    /// <summary>The folder of PNG images inside a data set folder.</summary>
    public const string Images = "images";

    /// <summary>The path, relative to the manifest, of image <paramref name="index"/> in a written data set.</summary>
    public static string ImagePath(int index) => $"{Images}/{index:D6}.png";

    /// <summary>The manifest's image column.</summary>
    public const string ImageColumn = "image";
}
