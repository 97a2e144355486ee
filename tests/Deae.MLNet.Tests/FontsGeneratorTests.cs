using System.Security.Cryptography;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;

namespace Deae.MLNet.Tests;

public class FontsGeneratorTests
{
    internal static FontsOptions Small() => new()
    {
        Letters = "AHo",
        Sizes = ["medium", "large"],
        FontColors = ["red", "blue"],
        BackgroundColors = ["yellow", "silver", "blue"],
        MaxFonts = 2,
        ImageSize = 24,
    };

    private static string Hash(ImageDataset data) =>
        Convert.ToHexString(SHA256.HashData(Enumerable.Range(0, data.Count).SelectMany(i => data.GetPixels(i).ToArray()).ToArray()));

    private static (byte R, byte G, byte B) Pixel(ImageDataset data, int index, int x, int y)
    {
        var p = data.GetPixels(index).Slice(((y * data.Width) + x) * 3, 3);
        return (p[0], p[1], p[2]);
    }

    [Fact]
    public void SameOptionsGiveIdenticalBytesWhateverTheThreadCount()
    {
        var options = Small();
        var samples = FontsGenerator.Plan(options);
        string serial = Hash(FontsGenerator.Render(samples, options.ImageSize, parallelism: 1));
        string parallel = Hash(FontsGenerator.Render(samples, options.ImageSize, parallelism: 4));
        string again = Hash(FontsGenerator.Generate(options));
        Assert.Equal(serial, parallel);
        Assert.Equal(serial, again);
    }

    [Fact]
    public void CountIsEveryCombinationWithDifferentFontAndBackgroundColour()
    {
        var data = FontsGenerator.Generate(Small());
        // 3 letters x 2 sizes x (2 font x 3 background colours - 1 where both are blue) x 2 fonts.
        Assert.Equal(3 * 2 * 5 * 2, data.Count);
        int fc = data.AttributeIndex("font_color"), bg = data.AttributeIndex("background_color");
        Assert.All(Enumerable.Range(0, data.Count), i => Assert.NotEqual(data.GetValue(i, fc), data.GetValue(i, bg)));
    }

    [Fact]
    public void EveryBorderPixelIsTheBackgroundAndTheFontColourIsPresentExactly()
    {
        var data = FontsGenerator.Generate(Small());
        int fc = data.AttributeIndex("font_color"), bg = data.AttributeIndex("background_color");
        for (int i = 0; i < data.Count; i++)
        {
            var background = NamedColor.Parse(data.GetValue(i, bg), "test");
            var font = NamedColor.Parse(data.GetValue(i, fc), "test");
            int last = data.Width - 1;
            foreach (var (x, y) in new[] { (0, 0), (last, 0), (0, last), (last, last) })
            {
                Assert.Equal((background.R, background.G, background.B), Pixel(data, i, x, y));
            }

            // The glyph is inside the canvas: no border pixel differs from the background.
            for (int k = 0; k < data.Width; k++)
            {
                Assert.Equal((background.R, background.G, background.B), Pixel(data, i, k, 0));
                Assert.Equal((background.R, background.G, background.B), Pixel(data, i, k, last));
                Assert.Equal((background.R, background.G, background.B), Pixel(data, i, 0, k));
                Assert.Equal((background.R, background.G, background.B), Pixel(data, i, last, k));
            }

            bool present = false;
            for (int y = 0; y < data.Height && !present; y++)
            {
                for (int x = 0; x < data.Width && !present; x++)
                {
                    present = Pixel(data, i, x, y) == (font.R, font.G, font.B);
                }
            }

            Assert.True(present, $"image {i}: font colour {font.Name} not found exactly");
        }
    }

    [Fact]
    public void LettersSizesAndFontsEachChangeTheImage()
    {
        var data = FontsGenerator.Generate(Small());
        string Key(int i, int skip) => string.Join('|', Enumerable.Range(0, data.Attributes.Count).Where(a => a != skip).Select(a => data.GetValue(i, a)));
        foreach (string attribute in new[] { "letter", "size", "font" })
        {
            int a = data.AttributeIndex(attribute);
            // Images that differ only in this attribute must differ in pixels.
            var groups = Enumerable.Range(0, data.Count).GroupBy(i => Key(i, a)).Where(g => g.Count() > 1).ToList();
            Assert.NotEmpty(groups);
            foreach (var group in groups)
            {
                var images = group.Select(i => Convert.ToHexString(data.GetPixels(i))).ToList();
                Assert.Equal(images.Count, images.Distinct().Count());
            }
        }
    }

    [Fact]
    public void LargerSizesCoverMorePixels()
    {
        var options = Small();
        options.Sizes = ["small", "medium", "large"];
        var data = FontsGenerator.Generate(options);
        int size = data.AttributeIndex("size"), bg = data.AttributeIndex("background_color");
        double Coverage(string name) => Enumerable.Range(0, data.Count).Where(i => data.GetValue(i, size) == name).Average(i =>
        {
            var b = NamedColor.Parse(data.GetValue(i, bg), "test");
            int covered = 0;
            for (int p = 0; p < data.Width * data.Height; p++)
            {
                var px = data.GetPixels(i).Slice(p * 3, 3);
                covered += px[0] != b.R || px[1] != b.G || px[2] != b.B ? 1 : 0;
            }

            return covered;
        });
        Assert.True(Coverage("small") < Coverage("medium"));
        Assert.True(Coverage("medium") < Coverage("large"));
    }

    [Fact]
    public void MaxImagesKeepsASeededSubset()
    {
        var options = Small();
        options.MaxImages = 7;
        var first = FontsGenerator.Plan(options);
        var second = FontsGenerator.Plan(options);
        options.Seed = 2;
        var other = FontsGenerator.Plan(options);
        Assert.Equal(7, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData("FontColors", "--font-colors", "magenta")]
    [InlineData("BackgroundColors", "--background-colors", "navy")]
    [InlineData("Sizes", "--sizes", "huge")]
    public void UnknownValuesNameTheOptionAndTheValue(string option, string flag, string value)
    {
        var options = Small();
        switch (option)
        {
            case "FontColors": options.FontColors = ["red", value]; break;
            case "BackgroundColors": options.BackgroundColors = [value]; break;
            default: options.Sizes = [value]; break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => FontsGenerator.Plan(options));
        Assert.Contains(flag, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void BadOptionsGetErrorsNamingTheOption()
    {
        static string Fail(Action<FontsOptions> change)
        {
            var options = Small();
            change(options);
            return Assert.ThrowsAny<ArgumentException>(() => FontsGenerator.Plan(options)).Message;
        }

        Assert.Contains("--letters", Fail(o => o.Letters = ""));
        Assert.Contains("'1'", Fail(o => o.Letters = "A1"));
        Assert.Contains("--font-colors", Fail(o => o.FontColors = []));
        Assert.Contains("nothing to render", Fail(o => { o.FontColors = ["red"]; o.BackgroundColors = ["red"]; }));
        Assert.Contains("--image-size", Fail(o => o.ImageSize = 4));
        Assert.Contains("--max-images", Fail(o => o.MaxImages = 0));
        Assert.Contains("--fonts", Fail(o => o.Fonts = ["NoSuchFace"]));
        Assert.Contains("--font-folder", Fail(o => o.FontFolder = "/no/such/folder"));
        using var empty = new TempFolder();
        Assert.Contains("no TrueType/OpenType face", Fail(o => o.FontFolder = empty.Path));
    }

    [Fact]
    public void AFontFolderOptionSelectsItsFaces()
    {
        using var folder = new TempFolder();
        string source = FontCatalog.Discover(null, "AHo").First().Path;
        File.Copy(source, folder.Combine("OnlyFace.ttf"));
        var options = Small();
        options.FontFolder = folder.Path;
        var data = FontsGenerator.Generate(options);
        Assert.Equal(["OnlyFace"], data.Attributes[data.AttributeIndex("font")].Values);
    }
}
