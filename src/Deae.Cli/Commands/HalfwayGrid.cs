using Deae.MLNet.Data;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary>
/// The picture of interpolation validity that <c>deae evaluate</c> writes beside its markdown: the first pairs
/// judged (<see cref="ModelReport.ValidityExamples"/>) — a row of originals, a row of donors, then one row per
/// model of the original with its background chunk moved half-way to the donor's, as the metric judged it.
/// </summary>
internal sealed class HalfwayGrid(ImageDataset heldOut)
{
    private readonly List<byte[]> _cells = [];
    private readonly List<string> _verdicts = [];
    private IReadOnlyList<ValidityExample>? _pairs;

    /// <summary>Adds the row of half-way images <paramref name="report"/> judged (nothing when it judged no validity).</summary>
    public void Add(ModelReport report)
    {
        var examples = report.ValidityExamples;
        if (examples.Count == 0)
        {
            return;
        }

        if (_pairs is null)
        {
            _pairs = examples;
            _cells.AddRange(examples.Select(e => heldOut.GetPixels(e.Original).ToArray()));
            _cells.AddRange(examples.Select(e => heldOut.GetPixels(e.Donor).ToArray()));
        }
        else if (!examples.Select(e => (e.Original, e.Donor)).SequenceEqual(_pairs.Select(e => (e.Original, e.Donor))))
        {
            // Same held-out images, seed and chunk order give the same pairs; a column must show one pair.
            throw new InvalidOperationException($"{report.Model} was judged on other validity pairs than the models before it.");
        }

        // The very images the metric judged, not a second decoding of them.
        _cells.AddRange(examples.Select(e => e.HalfwayImage));
        _verdicts.Add($"{report.Model} {string.Concat(examples.Select(e => e.Valid ? "✓" : "✗"))}");
    }

    /// <summary>Writes the grid when any model added a row; returns the markdown line that explains it, or null.</summary>
    public string? Save(string path, bool overwrite)
    {
        if (_pairs is null)
        {
            return null;
        }

        ImageGrid.SavePng(_cells, heldOut.Width, heldOut.Height, heldOut.Channels, _pairs.Count, path, overwrite, scale: Math.Max(1, 64 / heldOut.Width));
        return $"Half-way background interpolations: {Path.GetFileName(path)} (first row: held-out originals; second: the donors whose background chunk they move half-way towards; then one row per model; judged valid, column by column: {string.Join("; ", _verdicts)}).";
    }
}
