using System.Text.RegularExpressions;
using System.Xml.Linq;
using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public partial class NotebookTests
{
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Deae.MLNet.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests do not run inside the repository.");
    }

    private static string QuickStart => Path.Combine(RepositoryRoot(), "notebooks", "deae-quickstart.ipynb");

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+),\s*(?<version>[^"]+)"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^#r\s+"(?<path>[^n][^"]*\.dll)"\s*$""")]
    private static partial Regex FileReference();

    [Fact]
    public void TheNotebookReferencesTheLibrarysPackagesAtTheRepositorysVersions()
    {
        string root = RepositoryRoot();
        var versions = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        var libraryPackages = XDocument.Load(Path.Combine(root, "src", "Deae.MLNet", "Deae.MLNet.csproj")).Descendants("PackageReference")
            .Select(p => (string)p.Attribute("Include")!).ToList();
        string framework = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;

        var lines = NotebookRunner.CodeCells(QuickStart)[0].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var nuget = lines.Select(l => NugetReference().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups["name"].Value.Trim(), m => m.Groups["version"].Value.Trim());
        var files = lines.Select(l => FileReference().Match(l)).Where(m => m.Success).Select(m => m.Groups["path"].Value).ToList();
        Assert.Equal(lines.Count, nuget.Count + files.Count); // the first cell holds references only

        // TorchSharp-cpu bundles TorchSharp with the CPU backend: it stands for both.
        Assert.Equal(versions["TorchSharp"], nuget["TorchSharp-cpu"]);
        foreach (string package in libraryPackages.Where(p => p != "TorchSharp"))
        {
            Assert.True(nuget.TryGetValue(package, out string? version), $"the notebook does not reference {package}");
            Assert.Equal(versions[package], version);
        }

        // The library itself: the Release build of src/Deae.MLNet for the repository's framework.
        string dll = Assert.Single(files);
        Assert.Equal(
            Path.Combine(root, "src", "Deae.MLNet", "bin", "Release", framework, "Deae.MLNet.dll"),
            Path.GetFullPath(Path.Combine(root, "notebooks", dll)));
    }

    [SlowFact]
    public async Task TheQuickStartNotebookRunsAndShowsWhatItClaims()
    {
        var (state, globals) = await NotebookRunner.RunAsync(QuickStart);
        T Get<T>(string name) => (T)state.GetVariable(name)!.Value!;

        // It drew pictures: the data, the swaps, the exploration grid.
        Assert.True(globals.Displayed.OfType<string>().Count(h => h.Contains("data:image/png;base64,", StringComparison.Ordinal)) >= 3);

        // Training learned: held-out reconstruction fell, and the swap moved the background.
        // (The rows are the notebook's anonymous type: read by reflection.)
        var validation = (System.Collections.IList)Get<object>("validation");
        static float Reconstruction(object? row) => (float)row!.GetType().GetProperty("Reconstruction")!.GetValue(row)!;
        float firstRecon = Reconstruction(validation[0]), lastRecon = Reconstruction(validation[^1]);
        Assert.True(lastRecon < firstRecon * 0.7f, $"validation reconstruction {firstRecon} -> {lastRecon}");
        var swap = Get<SwapScore>("backgroundSwap");
        Assert.True(swap.TargetRate > 0.8, $"background swap gave the donor's colour for {swap.TargetRate:P0}");

        // The ML.NET numbers it prints are far above chance.
        Assert.True(Get<Microsoft.ML.Data.BinaryClassificationMetrics>("svmMetrics").AreaUnderRocCurve > 0.95);
        Assert.True(Get<Microsoft.ML.Data.ClusteringMetrics>("clusterMetrics").NormalizedMutualInformation > 0.7);
        Assert.True(Get<Microsoft.ML.Data.MulticlassClassificationMetrics>("letterMetrics").MicroAccuracy > 0.6);
        Assert.True(Get<bool>("samePredictions"));
    }
}
