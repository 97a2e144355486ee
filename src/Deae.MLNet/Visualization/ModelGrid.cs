using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Visualization;

/// <summary>Pictures of what a model does: reconstructions and attribute swaps side by side.</summary>
public static class ModelGrid
{
    /// <summary>
    /// Writes a grid PNG: row 1 the images X, row 2 their reconstructions, row 3 the donors Y, then one
    /// row per attribute with that attribute's chunk of Y swapped into X.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="data">Images to draw X and Y from.</param>
    /// <param name="path">The PNG file (written atomically).</param>
    /// <param name="columns">Pairs shown.</param>
    /// <param name="seed">Seed of the pair choice.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    public static void SaveReconstructionsAndSwaps(DeaeModel model, ImageDataset data, string path, int columns, int seed, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(seed);
        var x = Enumerable.Range(0, columns).Select(_ => data.GetPixels(random.Next(data.Count)).ToArray()).ToList();
        var y = Enumerable.Range(0, columns).Select(_ => data.GetPixels(random.Next(data.Count)).ToArray()).ToList();
        var rows = new List<byte[]>();
        rows.AddRange(x);
        rows.AddRange(model.Reconstruct(x));
        rows.AddRange(y);
        foreach (string attribute in model.Layout.Attributes)
        {
            rows.AddRange(model.SwapAttribute(x, y, attribute));
        }

        ImageGrid.SavePng(rows, data.Width, data.Height, data.Channels, columns, path, overwrite, scale: Math.Max(1, 64 / data.Width));
    }
}
