using Deae.MLNet.Data;
using Deae.MLNet.IO;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.MLNet;

/// <summary>
/// Loads a data set manifest into an <see cref="IDataView"/> of text columns (the image path and one
/// column per attribute), ready for <c>LoadImages</c> with <see cref="ImageFolder"/> as its image folder.
/// </summary>
public static class ManifestLoader
{
    /// <summary>Loads the manifest at <paramref name="manifestPath"/> (a file, or a folder holding manifest.csv).</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="manifestPath">The manifest file or its folder.</param>
    public static IDataView Load(MLContext mlContext, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        string manifest = DatasetReader.ResolveManifest(manifestPath);
        var header = Csv.ReadRows(manifest).FirstOrDefault() ?? throw new InvalidDataException($"Manifest '{manifest}' is empty.");
        var columns = header.Select((name, i) => new TextLoader.Column(name, DataKind.String, i)).ToArray();
        return mlContext.Data.LoadFromTextFile(manifest, new TextLoader.Options
        {
            Columns = columns,
            HasHeader = true,
            Separators = [','],
            AllowQuoting = true,
        });
    }

    /// <summary>The folder that the manifest's image paths are relative to: pass it as LoadImages' imageFolder.</summary>
    public static string ImageFolder(string manifestPath) => Path.GetDirectoryName(DatasetReader.ResolveManifest(manifestPath))!;
}
