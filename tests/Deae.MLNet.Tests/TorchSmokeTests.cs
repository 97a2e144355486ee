using Deae.MLNet.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

public class TorchSmokeTests
{
    [Fact]
    public void ConvNetTrainsThroughTheLibrarysLoadingPath()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(1);
        var net = nn.Sequential(
            ("conv", nn.Conv2d(3, 8, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flat", nn.Flatten()),
            ("head", nn.Linear(8, 1)));
        var optimizer = optim.Adam(net.parameters(), lr: 0.05);
        using var x = torch.randn(16, 3, 8, 8);
        using var y = x.mean([1, 2, 3]).unsqueeze(1) * 3;

        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(net.forward(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(last < first * 0.5f, $"loss went from {first} to {last}");
        Assert.All(net.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void LoadedLibraryMeetsEveryVersionRequirementOfThisSystem()
    {
        TorchRuntime.EnsureLoaded();
        // After loading, the copy TorchSharp uses needs nothing the process's libstdc++ lacks,
        // unless the requirement was made weak by the remedy.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Both files as the process mapped them: a build folder may hold other copies of the library.
        var mapped = File.ReadLines("/proc/self/maps").Select(l => l[(l.IndexOf('/') is var i && i >= 0 ? i : l.Length)..].Trim()).ToList();
        string library = mapped.First(p => System.IO.Path.GetFileName(p) == "libLibTorchSharp.so");
        string stdCxx = mapped.First(p => System.IO.Path.GetFileName(p).StartsWith("libstdc++.so", StringComparison.Ordinal));
        var provided = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(stdCxx));
        var unmet = ElfVersionNeeds.ReadRequirements(File.ReadAllBytes(library))
            .Where(r => r.Library == "libstdc++.so.6" && !r.IsWeak && !provided.Contains(r.Version)).ToList();
        Assert.Empty(unmet);
    }
}
