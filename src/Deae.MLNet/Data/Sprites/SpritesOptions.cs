namespace Deae.MLNet.Data.Sprites;

/// <summary>
/// Options of the dSprites-like generator: 64×64 single-channel images of a white shape on black,
/// with shape, scale, orientation and x/y position as the generating attributes.
/// </summary>
public sealed class SpritesOptions
{
    /// <summary>Shapes to render (square, ellipse, heart). Default: all three.</summary>
    public IReadOnlyList<string> Shapes = SpritesGenerator.ShapeNames;

    /// <summary>Number of scale values, evenly spaced over [0.5, 1]. Default 6, as dSprites.</summary>
    public int ScaleCount = 6;

    /// <summary>Number of orientations, evenly spaced over [0, 2π) (2π itself excluded). Default 40.</summary>
    public int OrientationCount = 40;

    /// <summary>Number of x and of y positions, evenly spaced over [0, 1]. Default 32.</summary>
    public int PositionCount = 32;

    /// <summary>Side of the square images in pixels. Default 64, as dSprites.</summary>
    public int ImageSize = 64;

    /// <summary>Keep a random subset of at most this many images (chosen with <see cref="Seed"/>); null renders the full factorial set.</summary>
    public int? MaxImages = 10_000;

    /// <summary>Seed of the subset choice.</summary>
    public int Seed = 1;

    /// <summary>Threads used to render; null uses every core.</summary>
    public int? Parallelism;
}
