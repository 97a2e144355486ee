using Deae.MLNet.IO;

namespace Deae.MLNet.Tests;

public class AtomicFileTests
{
    [Fact]
    public void AWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryFile()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("model.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3], overwrite: false);

        var failure = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, overwrite: true, stream =>
        {
            stream.Write(new byte[4096]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("disk full", failure.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.bin"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AnExistingFileIsReplacedOnlyWhenAsked()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("sub", "out.bin");
        AtomicFile.WriteAllBytes(path, [7], overwrite: false); // creates the folder too

        var refused = Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(path, [8, 9], overwrite: false));
        Assert.Contains(path, refused.Message);
        Assert.Contains("pass overwrite", refused.Message);
        Assert.Equal([7], File.ReadAllBytes(path));

        AtomicFile.WriteAllBytes(path, [8, 9], overwrite: true);
        Assert.Equal([8, 9], File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(temp.Combine("sub")).Select(Path.GetFileName));
    }
}
