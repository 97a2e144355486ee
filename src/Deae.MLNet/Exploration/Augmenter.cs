using System.Globalization;
using System.Text;
using Deae.MLNet.Data;
using Deae.MLNet.IO;
using Deae.MLNet.Model;

namespace Deae.MLNet.Exploration;

/// <summary>Where one attribute of an augmented image came from.</summary>
/// <param name="Attribute">The attribute.</param>
/// <param name="Sources">The values mixed and their weights (one entry of weight 1 for a seen value).</param>
public sealed record AttributeProvenance(string Attribute, IReadOnlyList<(string Value, float Weight)> Sources)
{
    /// <summary>The attribute.</summary>
    public string Attribute { get; init; } = Attribute ?? throw new ArgumentNullException(nameof(Attribute));

    /// <summary>The values mixed and their weights (one entry of weight 1 for a seen value); never empty.</summary>
    public IReadOnlyList<(string Value, float Weight)> Sources { get; init; } = Sources is null ? throw new ArgumentNullException(nameof(Sources))
        : Sources.Count == 0 ? throw new ArgumentException($"Attribute '{Attribute}': a provenance needs at least one source value.", nameof(Sources)) : Sources;

    /// <summary>The value with the largest weight: the label written to the manifest.</summary>
    public string Dominant => Sources.MaxBy(s => s.Weight).Value;

    /// <inheritdoc/>
    public override string ToString() => Sources.Count == 1
        ? Sources[0].Value
        : string.Join('+', Sources.Select(s => $"{s.Value}*{s.Weight.ToString("0.00", CultureInfo.InvariantCulture)}"));
}

/// <summary>New labelled images made from a (small) data set by recombining and interpolating attribute chunks.</summary>
public static class Augmenter
{
    /// <summary>
    /// Makes <paramref name="count"/> images: each starts from a random image's code; every attribute
    /// keeps that image's chunk, takes another image's chunk (a seen value, recombined), or, with
    /// probability <paramref name="interpolation"/>, a random mix of two images' chunks (a value
    /// between two seen ones). Labels are each attribute's dominant value; <c>Provenance</c> records the mix.
    /// </summary>
    /// <returns>The images (labelled with dominant values) and, per image, each attribute's provenance.</returns>
    public static (ImageDataset Images, IReadOnlyList<IReadOnlyList<AttributeProvenance>> Provenance) Generate(DeaeModel model, ImageDataset data, int count, int seed = 1, double interpolation = 0.3) =>
        Generate(model, data, new AugmentationOptions { Count = count, Seed = seed, Interpolation = interpolation });

    /// <summary>
    /// Makes <see cref="AugmentationOptions.Count"/> images: each starts from a random image's code; every
    /// attribute keeps that image's chunk, takes another image's chunk (a seen value, recombined), or, with
    /// probability <see cref="AugmentationOptions.Interpolation"/> and unless it is one of
    /// <see cref="AugmentationOptions.SeenValuesOnly"/>, a random mix of two images' chunks (a value between
    /// two seen ones). Labels are each attribute's dominant value; <c>Provenance</c> records the mix.
    /// The images carry the model's attributes only: a column of <paramref name="data"/> without a latent chunk
    /// is not controlled by the recombination, so no label for it could be trusted and none is written.
    /// </summary>
    /// <param name="model">The model whose decoder draws the images.</param>
    /// <param name="data">The images whose codes are recombined (the model's image geometry).</param>
    /// <param name="options">How many images, the seed, the mixing probability and the attributes never mixed.</param>
    /// <returns>The images (labelled with dominant values) and, per image, each attribute's provenance.</returns>
    public static (ImageDataset Images, IReadOnlyList<IReadOnlyList<AttributeProvenance>> Provenance) Generate(DeaeModel model, ImageDataset data, AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        int count = options.Count, seed = options.Seed;
        double interpolation = options.Interpolation;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, "options.Count");
        if (data.Count == 0)
        {
            throw new ArgumentException("The data set to augment holds no image.", nameof(data));
        }

        if (!(interpolation >= 0 && interpolation <= 1)) // NaN too: it would never mix, silently
        {
            throw new ArgumentOutOfRangeException("options.Interpolation", interpolation, "The interpolation probability must be in [0, 1].");
        }

        var seenOnly = (options.SeenValuesOnly ?? []).ToHashSet(StringComparer.Ordinal);
        if (seenOnly.FirstOrDefault(a => !model.Layout.Attributes.Contains(a)) is string unknown)
        {
            throw new ArgumentException($"SeenValuesOnly names '{unknown}', which is not one of the model's chunks ({string.Join(", ", model.Layout.Attributes)}).", nameof(options));
        }

        var layout = model.Layout;
        var mixable = layout.Attributes.Select(a => !seenOnly.Contains(a)).ToArray();
        var columns = layout.Attributes.Select(data.AttributeIndex).ToArray();
        var codes = model.Encode(Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToList());
        var random = new Random(seed);
        var latents = new List<float[]>();
        var provenance = new List<IReadOnlyList<AttributeProvenance>>();
        for (int n = 0; n < count; n++)
        {
            int baseImage = random.Next(data.Count);
            var code = (float[])codes[baseImage].Clone();
            var sources = new List<AttributeProvenance>();
            for (int k = 0; k < layout.Count; k++)
            {
                var range = layout.Range(k);
                int a = random.Next(data.Count), b = random.Next(data.Count);
                string valueA = data.GetValue(a, columns[k]), valueB = data.GetValue(b, columns[k]);
                if (random.NextDouble() < interpolation && valueA != valueB && mixable[k])
                {
                    float alpha = (float)random.NextDouble();
                    AttributeInterpolation.Mix(code, codes[a], codes[b], range, () => alpha);

                    sources.Add(new AttributeProvenance(layout.Attributes[k], [(valueA, 1 - alpha), (valueB, alpha)]));
                }
                else
                {
                    int from = random.NextDouble() < 0.5 ? baseImage : a;
                    codes[from].AsSpan(range).CopyTo(code.AsSpan(range));
                    sources.Add(new AttributeProvenance(layout.Attributes[k], [(data.GetValue(from, columns[k]), 1f)]));
                }
            }

            latents.Add(code);
            provenance.Add(sources);
        }

        var pixels = model.Decode(latents);
        var attributes = columns.Select(c => data.Attributes[c]).ToList();
        var labels = provenance.Select(p => p.Select((s, k) => attributes[k].IndexOf(s.Dominant)).ToArray()).ToArray();
        return (new ImageDataset(data.Width, data.Height, data.Channels, attributes, pixels, labels), provenance);
    }

    /// <summary>
    /// Writes the augmented set as a data set folder (the same manifest schema as the generators, labels
    /// being the dominant values) plus <c>provenance.csv</c> (image, then each attribute's sources).
    /// </summary>
    public static string Write(ImageDataset images, IReadOnlyList<IReadOnlyList<AttributeProvenance>> provenance, string folder, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(folder);
        CheckProvenance(images, provenance);
        var text = new StringBuilder();
        text.Append(Csv.FormatRow([DatasetFiles.ImageColumn, .. images.Attributes.Select(a => a.Name)])).Append('\n');
        for (int i = 0; i < provenance.Count; i++)
        {
            text.Append(Csv.FormatRow([DatasetFiles.ImagePath(i), .. provenance[i].Select(p => p.ToString())])).Append('\n');
        }

        return DatasetWriter.Write(images, folder, "augmented", overwrite, extraFiles: new Dictionary<string, byte[]> { ["provenance.csv"] = Encoding.UTF8.GetBytes(text.ToString()) });
    }

    /// <summary>Checks that <paramref name="provenance"/> has one row per image, naming the images' attributes in their order.</summary>
    internal static void CheckProvenance(ImageDataset images, IReadOnlyList<IReadOnlyList<AttributeProvenance>> provenance)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(provenance);
        if (provenance.Count != images.Count)
        {
            throw new ArgumentException($"The provenance has {provenance.Count} rows for {images.Count} images.", nameof(provenance));
        }

        for (int i = 0; i < provenance.Count; i++)
        {
            if (provenance[i] is null || !provenance[i].Select(p => p.Attribute).SequenceEqual(images.Attributes.Select(a => a.Name), StringComparer.Ordinal))
            {
                throw new ArgumentException($"Provenance row {i} names the attributes {string.Join(", ", provenance[i]?.Select(p => p.Attribute) ?? [])}; the images have {string.Join(", ", images.Attributes.Select(a => a.Name))}.", nameof(provenance));
            }
        }
    }
}
