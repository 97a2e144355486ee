using System.Globalization;
using System.Runtime.CompilerServices;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Sprites;

namespace Deae.MLNet.Evaluation;

/// <summary>What <see cref="SpriteOracle"/> reads in one image, as indices into each attribute's values.</summary>
/// <param name="Shape">Index of the shape value.</param>
/// <param name="Scale">Index of the scale value.</param>
/// <param name="Orientation">Index of an orientation value (one of those that look alike for the shape read).</param>
/// <param name="PositionX">Index of the x position value.</param>
/// <param name="PositionY">Index of the y position value.</param>
public readonly record struct SpriteReading(int Shape, int Scale, int Orientation, int PositionX, int PositionY);

/// <summary>
/// Reads every attribute of a dSprites-like image by analysis by synthesis: every (shape, scale, orientation)
/// of the data set is rendered once as a template with the generator that made the data; an image is compared
/// with each template placed on the image's centre of mass (L1 on intensities, plus the mass the template does
/// not cover), the best template gives shape, scale and orientation, and the centre of mass less that
/// template's own offset gives the position. A pixel classifier cannot do this (it reads shape and orientation
/// near chance on sprites), and a geometric reader needs no training, so its accuracy on real images is limited
/// only by what pixels can show: orientations that a shape's symmetry makes identical are read as equal
/// (<see cref="SpritesGenerator.RotationalSymmetry"/>).
/// </summary>
public sealed class SpriteOracle
{
    private const double AngleTolerance = 1e-3;

    // Templates placed on the centre of mass are only as exact as a whole-pixel shift; the best few are
    // rendered again exactly where the generator would draw them and compared pixel for pixel.
    private const int Finalists = 6;

    private readonly int _size;
    private readonly IReadOnlyList<string> _shapes;
    private readonly double[] _scales;
    private readonly double[] _angles;
    private readonly double[] _xs;
    private readonly double[] _ys;
    private readonly float[] _xCentres;
    private readonly float[] _yCentres;
    private readonly IReadOnlyList<AttributeDefinition> _attributes;
    private readonly Template[] _templates;
    private readonly ConditionalWeakTable<byte[], Remembered> _readings = new();

    private SpriteOracle(ImageDataset data)
    {
        _size = data.Width;
        _attributes = data.Attributes;
        _shapes = data.Attributes[0].Values;
        _scales = Numbers(data.Attributes[1]);
        _angles = Numbers(data.Attributes[2]);
        _xs = Numbers(data.Attributes[3]);
        _ys = Numbers(data.Attributes[4]);
        _xCentres = _xs.Select(x => SpritesGenerator.PixelCentre(x, _size)).ToArray();
        _yCentres = _ys.Select(y => SpritesGenerator.PixelCentre(y, _size)).ToArray();
        var templates = new List<Template>();
        for (int shape = 0; shape < _shapes.Count; shape++)
        {
            for (int scale = 0; scale < _scales.Length; scale++)
            {
                for (int orientation = 0; orientation < _angles.Length; orientation++)
                {
                    var pixels = SpritesGenerator.Render(_shapes[shape], _scales[scale], _angles[orientation], 0.5, 0.5, _size);
                    templates.Add(Template.From(pixels, _size, shape, scale, orientation));
                }
            }
        }

        _templates = templates.ToArray();
    }

    /// <summary>Whether <paramref name="data"/> is a dSprites-like set this oracle can read: one channel, square, and the generator's attributes in order with numeric values and known shapes.</summary>
    public static bool CanRead(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Channels == 1
            && data.Width == data.Height
            && data.Attributes.Select(a => a.Name).SequenceEqual(SpritesGenerator.AttributeNames)
            && data.Attributes[0].Values.All(SpritesGenerator.ShapeNames.Contains)
            && data.Attributes.Skip(1).All(a => a.Values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
    }

    /// <summary>Builds the oracle for the values of <paramref name="data"/> (see <see cref="CanRead"/>).</summary>
    public static SpriteOracle For(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CanRead(data)
            ? new SpriteOracle(data)
            : throw new ArgumentException($"The data set is not a dSprites-like set: it needs one channel, square images and the attributes {string.Join(", ", SpritesGenerator.AttributeNames)} with numeric values.", nameof(data));
    }

    /// <summary>
    /// Reads shape, scale, orientation and position from a single-channel image. Readings are remembered per
    /// array (every attribute is read from the same images) together with a hash of its bytes, so an array
    /// whose pixels were changed since is measured again.
    /// </summary>
    public SpriteReading Read(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != _size * _size)
        {
            throw new ArgumentException($"The image has {image.Length} bytes; a {_size}×{_size} single-channel sprite has {_size * _size}.", nameof(image));
        }

        int hash = Hash(image);
        if (_readings.TryGetValue(image, out var remembered) && remembered.Hash == hash)
        {
            return remembered.Reading;
        }

        var reading = Measure(image);
        _readings.AddOrUpdate(image, new Remembered(hash, reading));
        return reading;
    }

    /// <summary>The value name of <paramref name="attribute"/> in a reading.</summary>
    public string ValueOf(string attribute, SpriteReading reading)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        int column = Column(attribute);
        int index = column switch
        {
            0 => reading.Shape,
            1 => reading.Scale,
            2 => reading.Orientation,
            3 => reading.PositionX,
            _ => reading.PositionY,
        };
        return _attributes[column].Values[index];
    }

    /// <summary>
    /// Whether an image read as <paramref name="reading"/> shows <paramref name="value"/> of <paramref name="attribute"/>:
    /// the same value, or for orientation any value that the shape read makes look identical.
    /// </summary>
    public bool Shows(string attribute, SpriteReading reading, string value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(value);
        int column = Column(attribute);
        return column == 2
            ? LookAlike(_shapes[reading.Shape], _angles[reading.Orientation], Number(value, _attributes[2]))
            : ValueOf(attribute, reading) == value;
    }

    /// <summary>Whether <paramref name="shape"/> at orientations <paramref name="a"/> and <paramref name="b"/> (value names) looks the same.</summary>
    public bool LookAlike(string shape, string a, string b)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return LookAlike(shape, Number(a, _attributes[2]), Number(b, _attributes[2]));
    }

    private static bool LookAlike(string shape, double a, double b)
    {
        double period = 2 * Math.PI / SpritesGenerator.RotationalSymmetry(shape);
        double offset = Math.Abs(Math.IEEERemainder(a - b, period));
        return offset < AngleTolerance;
    }

    private SpriteReading Measure(byte[] image)
    {
        int size = _size;
        var intensity = Normalised(image);
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double v = intensity[(y * size) + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }

        // An empty image has no centre of mass; read it as centred (it matches no template well anyway).
        double cx = mass > 1e-6 ? mx / mass : (size - 1) / 2.0, cy = mass > 1e-6 ? my / mass : (size - 1) / 2.0;
        var finalists = _templates
            .Select(template => (Template: template, Score: template.Distance(intensity, size, mass, cx, cy)))
            .OrderBy(t => t.Score)
            .Take(Finalists)
            .Select(t => Placed(t.Template, cx, cy));
        return finalists.MinBy(reading => L1(intensity, Render(reading)));
    }

    /// <summary>
    /// Intensities in [0, 1] stretched so that the sprite's brightest pixels are 1. A decoder often draws a
    /// sprite fainter than white; unstretched, L1 against white templates would favour the smallest one,
    /// whatever size the faint shape has.
    /// </summary>
    private static float[] Normalised(byte[] image)
    {
        // The mean of the brightest few pixels, so that one stray bright pixel does not set the scale.
        const int brightest = 8;
        float peak = image.OrderDescending().Take(brightest).Average(b => (float)b) / 255f;
        float gain = peak > 0.05f ? 1f / peak : 1f;
        return image.Select(b => MathF.Min(1f, b / 255f * gain)).ToArray();
    }

    /// <summary>The reading of <paramref name="template"/> put where the image's centre of mass says it is.</summary>
    private SpriteReading Placed(Template template, double cx, double cy)
    {
        // The template was rendered centred on the frame; its centre of mass sits that far from the sprite's centre.
        float half = SpritesGenerator.PixelCentre(0.5, _size);
        return new SpriteReading(
            template.Shape,
            template.Scale,
            template.Orientation,
            Nearest(_xCentres, cx - (template.CentreX - half)),
            Nearest(_yCentres, cy - (template.CentreY - half)));
    }

    private byte[] Render(SpriteReading reading) =>
        SpritesGenerator.Render(_shapes[reading.Shape], _scales[reading.Scale], _angles[reading.Orientation], _xs[reading.PositionX], _ys[reading.PositionY], _size);

    private static double L1(float[] intensity, byte[] rendered)
    {
        double sum = 0;
        for (int i = 0; i < intensity.Length; i++)
        {
            sum += Math.Abs(intensity[i] - (rendered[i] / 255f));
        }

        return sum;
    }

    private int Column(string attribute)
    {
        int column = SpritesGenerator.AttributeNames.ToList().IndexOf(attribute);
        return column >= 0 ? column : throw new ArgumentException($"There is no sprite attribute '{attribute}' (attributes: {string.Join(", ", SpritesGenerator.AttributeNames)}).", nameof(attribute));
    }

    private static int Nearest(float[] centres, double at)
    {
        int best = 0;
        for (int i = 1; i < centres.Length; i++)
        {
            best = Math.Abs(centres[i] - at) < Math.Abs(centres[best] - at) ? i : best;
        }

        return best;
    }

    private static int Hash(byte[] image)
    {
        var hash = default(HashCode);
        hash.AddBytes(image);
        return hash.ToHashCode();
    }

    private static double[] Numbers(AttributeDefinition attribute) => attribute.Values.Select(v => Number(v, attribute)).ToArray();

    private static double Number(string value, AttributeDefinition attribute) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            ? number
            : throw new ArgumentException($"'{value}' is not a value of attribute '{attribute.Name}' (values are numbers such as {attribute.Values[0]}).");

    private sealed record Remembered(int Hash, SpriteReading Reading);

    /// <summary>One rendered (shape, scale, orientation): its pixels inside their bounding box and its centre of mass.</summary>
    private sealed class Template
    {
        private float[] _mask = [];
        private int _left, _top, _width, _height;

        public int Shape { get; private init; }

        public int Scale { get; private init; }

        public int Orientation { get; private init; }

        public double CentreX { get; private set; }

        public double CentreY { get; private set; }

        public static Template From(byte[] pixels, int size, int shape, int scale, int orientation)
        {
            int left = size, top = size, right = -1, bottom = -1;
            double mass = 0, mx = 0, my = 0;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double v = pixels[(y * size) + x] / 255.0;
                    if (v > 0)
                    {
                        (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                        mass += v;
                        mx += v * x;
                        my += v * y;
                    }
                }
            }

            var template = new Template { Shape = shape, Scale = scale, Orientation = orientation };
            if (mass == 0)
            {
                return template;
            }

            // One pixel of margin, so a blurred image's spill around the shape counts against the template.
            template._left = Math.Max(0, left - 1);
            template._top = Math.Max(0, top - 1);
            template._width = Math.Min(size - 1, right + 1) - template._left + 1;
            template._height = Math.Min(size - 1, bottom + 1) - template._top + 1;
            template._mask = new float[template._width * template._height];
            for (int y = 0; y < template._height; y++)
            {
                for (int x = 0; x < template._width; x++)
                {
                    template._mask[(y * template._width) + x] = pixels[((template._top + y) * size) + template._left + x] / 255f;
                }
            }

            template.CentreX = mx / mass;
            template.CentreY = my / mass;
            return template;
        }

        /// <summary>L1 between the image and this template moved onto the image's centre of mass, counting the image's mass outside the template's box.</summary>
        public double Distance(float[] image, int size, double mass, double cx, double cy)
        {
            int dx = (int)Math.Round(cx - CentreX), dy = (int)Math.Round(cy - CentreY);
            double distance = 0, covered = 0;
            for (int y = 0; y < _height; y++)
            {
                int iy = _top + y + dy;
                bool rowInside = iy >= 0 && iy < size;
                for (int x = 0; x < _width; x++)
                {
                    int ix = _left + x + dx;
                    float v = rowInside && ix >= 0 && ix < size ? image[(iy * size) + ix] : 0f;
                    distance += Math.Abs(v - _mask[(y * _width) + x]);
                    covered += v;
                }
            }

            return distance + (mass - covered);
        }
    }
}
