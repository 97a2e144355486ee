using System.Security.Cryptography;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;

namespace Deae.MLNet.Tests;

public class DatasetWriterTests
{
    private static Dictionary<string, string> HashFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void TwoRunsWriteByteIdenticalFiles()
    {
        using var temp = new TempFolder();
        DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("a"), "fonts", overwrite: false);
        DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("b"), "fonts", overwrite: false);
        var a = HashFiles(temp.Combine("a"));
        Assert.Equal(a, HashFiles(temp.Combine("b")));
        Assert.Contains("manifest.csv", a.Keys);
        Assert.Contains("dataset.json", a.Keys);
        Assert.Equal(FontsGenerator.Plan(FontsGeneratorTests.Small()).Count + 2, a.Count);
    }

    [Fact]
    public void ReadingBackGivesTheSameImagesAndLabels()
    {
        using var temp = new TempFolder();
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        string manifest = DatasetWriter.Write(data, temp.Combine("set"), "fonts", overwrite: false);
        var read = DatasetReader.Read(manifest);
        Assert.Equal(data.Count, read.Count);
        Assert.Equal(data.Attributes.Select(a => a.Values), read.Attributes.Select(a => a.Values));
        for (int i = 0; i < data.Count; i++)
        {
            Assert.True(data.GetPixels(i).SequenceEqual(read.GetPixels(i)), $"image {i} differs after PNG round trip");
            Assert.Equal(Enumerable.Range(0, 5).Select(a => data.GetLabel(i, a)), Enumerable.Range(0, 5).Select(a => read.GetLabel(i, a)));
        }
    }

    [Fact]
    public void AnExistingFolderIsKeptUnlessOverwriteIsAsked()
    {
        using var temp = new TempFolder();
        string folder = temp.Combine("set");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());

        var error = Assert.Throws<IOException>(() => DatasetWriter.Write(data, folder, "fonts", overwrite: false));
        Assert.Contains(folder, error.Message);
        Assert.Contains("--overwrite", error.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "keep.txt")));

        // Overwriting replaces data sets only: a folder of someone's own files is not one.
        error = Assert.Throws<IOException>(() => DatasetWriter.Write(data, folder, "fonts", overwrite: true));
        Assert.Contains("not a data set", error.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "keep.txt")));

        File.Delete(Path.Combine(folder, "keep.txt"));
        DatasetWriter.Write(data, folder, "fonts", overwrite: true); // an empty folder may be filled
        var smaller = FontsGenerator.Generate(FontsGeneratorTests.Small()).Subset([0, 1, 2]);
        DatasetWriter.Write(smaller, folder, "fonts", overwrite: true); // and a data set replaced
        Assert.Equal(3, DatasetReader.Read(folder).Count);
        Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AFolderNamedWithATrailingSeparatorIsTheSameFolder()
    {
        using var temp = new TempFolder();
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        string folder = temp.Combine("set") + Path.DirectorySeparatorChar;
        string manifest = DatasetWriter.Write(data, folder, "fonts", overwrite: false);
        Assert.Equal(data.Count, DatasetReader.Read(manifest).Count);
        DatasetWriter.Write(data.Subset([0]), folder, "fonts", overwrite: true);
        Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path)); // no staging or retired folder left, inside or beside
        Assert.Equal(["dataset.json", "images", "manifest.csv"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AManifestValueMissingFromDatasetJsonIsNamedWithItsLine()
    {
        using var temp = new TempFolder();
        string manifest = DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("set"), "fonts", overwrite: false);
        var lines = File.ReadAllLines(manifest);
        int column = Array.IndexOf(lines[0].Split(','), "letter");
        var fields = lines[3].Split(',');
        fields[column] = "Q";
        lines[3] = string.Join(',', fields);
        File.WriteAllLines(manifest, lines);
        var error = Assert.Throws<InvalidDataException>(() => DatasetReader.Read(manifest));
        Assert.Contains("line 4", error.Message);
        Assert.Contains("'Q'", error.Message);
        Assert.Contains("dataset.json", error.Message);
    }

    [Fact]
    public void AFailedWriteLeavesNothingBehind()
    {
        using var temp = new TempFolder();
        var parts = new List<(string, Func<ImageDataset>)>
        {
            ("good", () => FontsGenerator.Generate(FontsGeneratorTests.Small())),
            ("bad", () => throw new InvalidDataException("rendering failed")),
        };
        Assert.Throws<InvalidDataException>(() => DatasetWriter.WriteParts(parts, temp.Combine("preset"), "fonts", overwrite: false));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AnUnwritableParentIsNamed()
    {
        using var temp = new TempFolder();
        string file = temp.Combine("a-file");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<IOException>(() => DatasetWriter.EnsureWritable(Path.Combine(file, "out"), overwrite: false));
        Assert.Contains(Path.Combine(file, "out"), error.Message);
    }

    [Fact]
    public void ReadingReportsTheFileAtFault()
    {
        using var temp = new TempFolder();
        string manifest = DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("set"), "fonts", overwrite: false);
        string image = Path.Combine(temp.Combine("set"), "images", "000003.png");
        File.WriteAllBytes(image, File.ReadAllBytes(image)[..20]);
        var error = Assert.Throws<InvalidDataException>(() => DatasetReader.Read(manifest));
        Assert.Contains("000003.png", error.Message);
        var missingColumn = Assert.Throws<ArgumentException>(() => DatasetReader.Read(manifest, ["letter", "colour"]));
        Assert.Contains("'colour'", missingColumn.Message);

        File.Delete(image);
        var missing = Assert.Throws<FileNotFoundException>(() => DatasetReader.Read(manifest));
        Assert.Contains("000003.png", missing.Message);
    }

    [Fact]
    public void AMissingDataSetIsNamedAsAFolderOrAManifest()
    {
        using var temp = new TempFolder();
        var nowhere = Assert.Throws<FileNotFoundException>(() => DatasetReader.Read(temp.Combine("nowhere")));
        Assert.Contains($"Data set '{temp.Combine("nowhere")}' does not exist", nowhere.Message);

        Directory.CreateDirectory(temp.Combine("empty"));
        var empty = Assert.Throws<FileNotFoundException>(() => DatasetReader.Read(temp.Combine("empty")));
        Assert.Contains($"Data set folder '{temp.Combine("empty")}' has no manifest.csv", empty.Message);
    }

    [Fact]
    public void AnImageOfAnotherSizeIsNamedWhereverItIs()
    {
        using var temp = new TempFolder();
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        string manifest = DatasetWriter.Write(data, temp.Combine("set"), "fonts", overwrite: false);
        var halfOptions = FontsGeneratorTests.Small();
        halfOptions.ImageSize = data.Width / 2;
        DatasetWriter.Write(FontsGenerator.Generate(halfOptions), temp.Combine("half"), "fonts", overwrite: false);
        byte[] half = File.ReadAllBytes(Path.Combine(temp.Combine("half"), "images", "000001.png"));
        foreach (string odd in new[] { "000000.png", "000005.png" }) // the first image too: it must not become the norm
        {
            string image = Path.Combine(temp.Combine("set"), "images", odd);
            byte[] original = File.ReadAllBytes(image);
            File.WriteAllBytes(image, half);
            var error = Assert.Throws<InvalidDataException>(() => DatasetReader.Read(manifest));
            Assert.Contains(odd, error.Message);
            Assert.Contains($"{data.Width / 2}x{data.Width / 2}", error.Message);
            Assert.Contains($"{data.Count - 1} of the {data.Count} images are {data.Width}x{data.Height}", error.Message);
            File.WriteAllBytes(image, original);
        }
    }
}
