using Deae.MLNet.Runtime;

namespace Deae.MLNet.Tests;

public class ElfVersionNeedsTests
{
    private static byte[] PristineTorchSharpLibrary()
    {
        // The NuGet cache's copy is read, never written.
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = System.IO.Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void FindsTheGcc13RequirementOfTorchSharp()
    {
        var requirements = ElfVersionNeeds.ReadRequirements(PristineTorchSharpLibrary());
        var marker = Assert.Single(requirements, r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", marker.Library);
        Assert.False(marker.IsWeak);
        Assert.Contains(requirements, r => r.Version.StartsWith("GLIBC_", StringComparison.Ordinal) && r.Library == "libc.so.6");
    }

    [Fact]
    public void WeakeningChangesOnlyTheNamedRequirement()
    {
        byte[] original = PristineTorchSharpLibrary();
        var before = ElfVersionNeeds.ReadRequirements(original);
        byte[] patched = ElfVersionNeeds.WithWeakRequirements(original, before.Where(r => r.Version == "GLIBCXX_3.4.32"));
        var after = ElfVersionNeeds.ReadRequirements(patched);

        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Version, after[i].Version);
            Assert.Equal(before[i].Version == "GLIBCXX_3.4.32" || before[i].IsWeak, after[i].IsWeak);
        }

        int differentBytes = original.Zip(patched).Count(p => p.First != p.Second);
        Assert.Equal(1, differentBytes);
    }

    [Fact]
    public void RejectsFilesThatAreNotElf()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ReadRequirements(new byte[128]));
    }
}
