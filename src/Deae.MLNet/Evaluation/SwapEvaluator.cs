using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Evaluation;

/// <summary>How well swapping one colour attribute's chunk works, judged from pixels by <see cref="ColorOracle"/>.</summary>
/// <param name="Attribute">The swapped attribute (background_color or font_color).</param>
/// <param name="Pairs">Pairs evaluated.</param>
/// <param name="TargetRate">Fraction whose swapped attribute became the donor's value.</param>
/// <param name="KeptRate">Fraction whose other colour attribute kept the original image's value.</param>
public sealed record SwapScore(string Attribute, int Pairs, double TargetRate, double KeptRate);

/// <summary>Measures colour swaps of a Fonts-like model on pairs of images.</summary>
public static class SwapEvaluator
{
    /// <summary>The Fonts-like background colour attribute.</summary>
    public const string Background = "background_color";

    /// <summary>The Fonts-like font colour attribute.</summary>
    public const string FontColor = "font_color";

    /// <summary>
    /// Swaps <paramref name="attribute"/> (background_color or font_color) from a donor into an image for
    /// <paramref name="pairs"/> random pairs of <paramref name="data"/> whose values of it differ, and reads
    /// the result's colours from pixels.
    /// </summary>
    public static SwapScore Evaluate(DeaeModel model, ImageDataset data, string attribute, int pairs, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(attribute);
        if (attribute is not (Background or FontColor))
        {
            throw new ArgumentException($"Only '{Background}' and '{FontColor}' can be judged from pixels; got '{attribute}'.", nameof(attribute));
        }

        if (data.Channels != 3)
        {
            throw new ArgumentException($"Colour swaps are judged from RGB pixels; the data has {data.Channels} channel(s).", nameof(data));
        }

        int swapped = data.AttributeIndex(attribute);
        int other = data.AttributeIndex(attribute == Background ? FontColor : Background);
        // Same pair rule as ModelEvaluator (bounded tries, so data without a valid pair is an error, not a hang).
        var donors = ModelEvaluator.Pairs(data, swapped, pairs, new Random(seed));

        var outputs = model.SwapAttribute(donors.Select(d => data.GetPixels(d.X).ToArray()).ToList(), donors.Select(d => data.GetPixels(d.Y).ToArray()).ToList(), attribute);
        int hit = 0, kept = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            var (x, y) = donors[i];
            var background = ColorOracle.Background(outputs[i], data.Width, data.Height);
            var font = ColorOracle.Font(outputs[i], data.Width, data.Height);
            string target = data.GetValue(y, swapped), keep = data.GetValue(x, other);
            hit += (attribute == Background ? background.Name : font.Name) == target ? 1 : 0;
            kept += (attribute == Background ? font.Name : background.Name) == keep ? 1 : 0;
        }

        return new SwapScore(attribute, donors.Count, (double)hit / donors.Count, (double)kept / donors.Count);
    }
}
