namespace Deae.MLNet.Data;

/// <summary>
/// An in-memory labelled image set: each image as interleaved bytes (height × width × channels, RGB
/// or grey) with one value label per attribute. Bytes, not floats, so that a data set costs a quarter
/// of the memory; batches are converted to tensors when they are used.
/// </summary>
public sealed class ImageDataset
{
    private readonly byte[][] _pixels;
    private readonly int[][] _labels;

    /// <summary>Creates a data set; every image must have <paramref name="height"/> × <paramref name="width"/> × <paramref name="channels"/> bytes.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="attributes">The attributes every image is labelled with.</param>
    /// <param name="pixels">One byte array per image.</param>
    /// <param name="labels">One label array per image: the value index of each attribute, in attribute order.</param>
    public ImageDataset(int width, int height, int channels, IReadOnlyList<AttributeDefinition> attributes, byte[][] pixels, int[][] labels)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images must have 1 (grey) or 3 (RGB) channels.");
        }

        if (pixels.Length != labels.Length)
        {
            throw new ArgumentException($"There are {pixels.Length} images but {labels.Length} label rows.", nameof(labels));
        }

        int imageBytes = width * height * channels;
        for (int i = 0; i < pixels.Length; i++)
        {
            if (pixels[i]?.Length != imageBytes)
            {
                throw new ArgumentException($"Image {i} has {pixels[i]?.Length ?? 0} bytes; {width}x{height}x{channels} needs {imageBytes}.", nameof(pixels));
            }

            if (labels[i]?.Length != attributes.Count)
            {
                throw new ArgumentException($"Image {i} has {labels[i]?.Length ?? 0} labels for {attributes.Count} attributes.", nameof(labels));
            }

            for (int a = 0; a < attributes.Count; a++)
            {
                if ((uint)labels[i][a] >= (uint)attributes[a].Values.Count)
                {
                    throw new ArgumentException($"Image {i}: label {labels[i][a]} is out of range for attribute '{attributes[a].Name}'.", nameof(labels));
                }
            }
        }

        Width = width;
        Height = height;
        Channels = channels;
        Attributes = attributes;
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The attributes every image is labelled with, in label order.</summary>
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>Number of images.</summary>
    public int Count => _pixels.Length;

    /// <summary>Bytes of one image (interleaved, row-major: y, x, channel).</summary>
    public ReadOnlySpan<byte> GetPixels(int index) => _pixels[index];

    /// <summary>The value index of attribute <paramref name="attribute"/> for image <paramref name="index"/>.</summary>
    public int GetLabel(int index, int attribute) => _labels[index][attribute];

    /// <summary>The value name of attribute <paramref name="attribute"/> for image <paramref name="index"/>.</summary>
    public string GetValue(int index, int attribute) => Attributes[attribute].Values[_labels[index][attribute]];

    /// <summary>The images at <paramref name="indices"/> (sharing this set's pixel arrays), with the same attributes.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new ImageDataset(Width, Height, Channels, Attributes, indices.Select(i => _pixels[i]).ToArray(), indices.Select(i => _labels[i]).ToArray());
    }

    /// <summary>A seeded split into (rest, held out), holding out <paramref name="fraction"/> of the images.</summary>
    public (ImageDataset Remaining, ImageDataset HeldOut) Split(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be between 0 and 1.");
        }

        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int held = Math.Max(1, (int)Math.Round(Count * fraction));
        return (Subset(order.Skip(held).Order().ToList()), Subset(order.Take(held).Order().ToList()));
    }

    /// <summary>The index of the attribute named <paramref name="name"/>; throws naming it if there is none.</summary>
    public int AttributeIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int a = 0; a < Attributes.Count; a++)
        {
            if (string.Equals(Attributes[a].Name, name, StringComparison.Ordinal))
            {
                return a;
            }
        }

        throw new ArgumentException($"The data set has no attribute '{name}' (attributes: {string.Join(", ", Attributes.Select(x => x.Name))}).");
    }
}
