using Deae.MLNet.IO;
using System.Globalization;
using SkiaSharp;

namespace Deae.MLNet.Data.Sprites;

/// <summary>
/// Renders the dSprites-like data set: one binary shape per image, kept wholly inside the frame at
/// every scale, orientation and position. Deterministic.
/// </summary>
public static class SpritesGenerator
{
    /// <summary>The shapes, in label order.</summary>
    public static IReadOnlyList<string> ShapeNames { get; } = ["square", "ellipse", "heart"];

    /// <summary>The attribute (manifest column) names, in label order.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = ["shape", "scale", "orientation", "pos_x", "pos_y"];

    // The shape's outline fits a circle of this radius (as a fraction of the frame) at scale 1, so a
    // shape at any orientation stays inside the frame when its centre keeps that distance from the edges.
    private const float UnitRadius = 0.2f;

    /// <summary>Validates <paramref name="options"/> and renders the data set it describes.</summary>
    /// <param name="options">What to render.</param>
    /// <param name="progress">Receives the number of images rendered so far.</param>
    public static ImageDataset Generate(SpritesOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var attributes = Attributes(options);
        int[] counts = attributes.Select(a => a.Values.Count).ToArray();
        long total = counts.Aggregate(1L, (a, b) => a * b);
        if (options.MaxImages is <= 0)
        {
            throw new OptionException("MaxImages", "--max-images", $"{options.MaxImages} must be positive.");
        }

        if (options.MaxImages is null && total > 2_000_000)
        {
            throw new OptionException("MaxImages", "--max-images", $"the full factorial set has {total} images; choose fewer values or a subset.");
        }

        long[] chosen = options.MaxImages is int max && max < total ? SampleIndices(total, max, options.Seed) : Enumerable.Range(0, (int)total).Select(i => (long)i).ToArray();
        var pixels = new byte[chosen.Length][];
        var labels = new int[chosen.Length][];
        int done = 0;
        ParallelWork.For(chosen.Length, options.Parallelism, i =>
        {
            labels[i] = Unravel(chosen[i], counts);
            pixels[i] = RenderOne(labels[i], options);
            int count = Interlocked.Increment(ref done);
            if (progress is not null && (count % 1024 == 0 || count == chosen.Length))
            {
                progress.Report(count);
            }
        });
        return new ImageDataset(options.ImageSize, options.ImageSize, 1, attributes, pixels, labels);
    }

    /// <summary>The attributes and their value names for <paramref name="options"/>.</summary>
    public static IReadOnlyList<AttributeDefinition> Attributes(SpritesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shapes is null || options.Shapes.Count == 0)
        {
            throw new OptionException("Shapes", "--shapes", "the list of shapes is empty.");
        }

        foreach (string shape in options.Shapes)
        {
            if (!ShapeNames.Contains(shape))
            {
                throw new OptionException("Shapes", "--shapes", $"'{shape}' is not a shape (shapes: {string.Join(", ", ShapeNames)}).");
            }
        }

        Positive(options.ScaleCount, "ScaleCount", "--scales");
        Positive(options.OrientationCount, "OrientationCount", "--orientations");
        Positive(options.PositionCount, "PositionCount", "--positions");
        if (options.ImageSize is < 16 or > 512)
        {
            throw new OptionException("ImageSize", "--image-size", $"{options.ImageSize} is outside 16–512 pixels.");
        }

        string Format(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        return
        [
            new(AttributeNames[0], options.Shapes),
            new(AttributeNames[1], Spaced(0.5, 1.0, options.ScaleCount).Select(Format)),
            new(AttributeNames[2], Enumerable.Range(0, options.OrientationCount).Select(k => Format(2 * Math.PI * k / options.OrientationCount))),
            new(AttributeNames[3], Spaced(0, 1, options.PositionCount).Select(Format)),
            new(AttributeNames[4], Spaced(0, 1, options.PositionCount).Select(Format)),
        ];
    }

    private static byte[] RenderOne(int[] label, SpritesOptions options)
    {
        var positions = Spaced(0, 1, options.PositionCount);
        return Render(
            options.Shapes[label[0]],
            Spaced(0.5, 1.0, options.ScaleCount)[label[1]],
            2 * Math.PI * label[2] / options.OrientationCount,
            positions[label[3]],
            positions[label[4]],
            options.ImageSize);
    }

    /// <summary>
    /// Renders one sprite from its generating values: <paramref name="shape"/> at <paramref name="scale"/> (of the
    /// largest size), turned by <paramref name="angle"/> radians, centred at <see cref="PixelCentre"/> of the
    /// positions <paramref name="x"/> and <paramref name="y"/> in [0, 1]. The oracle that reads sprites renders
    /// its templates here, so it measures against exactly what the data set contains.
    /// </summary>
    internal static byte[] Render(string shape, double scale, double angle, double x, double y, int size)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            canvas.Translate(PixelCentre(x, size), PixelCentre(y, size));
            canvas.RotateRadians((float)angle);
            canvas.Scale((float)(scale * UnitRadius * size));
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = false, Style = SKPaintStyle.Fill };
            using var path = UnitShape(shape);
            canvas.DrawPath(path, paint);
        }

        return PixelBuffer.CopyOf(bitmap.GetPixelSpan());
    }

    /// <summary>The pixel coordinate of a sprite's centre at <paramref name="position"/> in [0, 1] along one axis.</summary>
    internal static float PixelCentre(double position, int size)
    {
        // The largest radius plus a pixel, so every scale shares the same positions and no shape touches the edge.
        float margin = (UnitRadius * size) + 1f;
        return (float)(margin + (position * (size - (2 * margin))));
    }

    /// <summary>
    /// How many rotations in a full turn map <paramref name="shape"/> onto itself: 4 for the square, 2 for the
    /// ellipse, 1 for the heart. Orientations that differ by a multiple of 2π / this look the same, so no
    /// one can read them apart from pixels (dSprites has the same ambiguity).
    /// </summary>
    public static int RotationalSymmetry(string shape) => shape switch
    {
        null => throw new ArgumentNullException(nameof(shape)),
        "square" => 4,
        "ellipse" => 2,
        "heart" => 1,
        _ => throw new ArgumentException($"'{shape}' is not a shape (shapes: {string.Join(", ", ShapeNames)}).", nameof(shape)),
    };

    /// <summary>The shape's outline inside the unit circle.</summary>
    private static SKPath UnitShape(string shape)
    {
        var path = new SKPath();
        switch (shape)
        {
            case "square":
                float half = 1f / MathF.Sqrt(2f);
                path.AddRect(new SKRect(-half, -half, half, half));
                break;
            case "ellipse":
                path.AddOval(new SKRect(-1f, -0.5f, 1f, 0.5f));
                break;
            default:
                // The classic heart curve, scaled so that its farthest point is at radius 1.
                const int steps = 96;
                for (int i = 0; i < steps; i++)
                {
                    double t = 2 * Math.PI * i / steps;
                    float x = (float)(16 * Math.Pow(Math.Sin(t), 3) / 17.5);
                    float y = (float)(-((13 * Math.Cos(t)) - (5 * Math.Cos(2 * t)) - (2 * Math.Cos(3 * t)) - Math.Cos(4 * t)) / 17.5);
                    if (i == 0)
                    {
                        path.MoveTo(x, y);
                    }
                    else
                    {
                        path.LineTo(x, y);
                    }
                }

                path.Close();
                break;
        }

        return path;
    }

    private static double[] Spaced(double low, double high, int count) =>
        count == 1 ? [low] : Enumerable.Range(0, count).Select(i => low + ((high - low) * i / (count - 1))).ToArray();

    private static int[] Unravel(long index, int[] counts)
    {
        var label = new int[counts.Length];
        for (int a = counts.Length - 1; a >= 0; a--)
        {
            label[a] = (int)(index % counts[a]);
            index /= counts[a];
        }

        return label;
    }

    private static long[] SampleIndices(long total, int count, int seed)
    {
        // Floyd's algorithm: a uniform subset without materialising all indices.
        var random = new Random(seed);
        var chosen = new HashSet<long>();
        for (long j = total - count; j < total; j++)
        {
            long t = random.NextInt64(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }

        return chosen.Order().ToArray();
    }

    private static void Positive(int value, string option, string flag)
    {
        if (value <= 0)
        {
            throw new OptionException(option, flag, $"{value} must be positive.");
        }
    }
}
