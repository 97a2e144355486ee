using Deae.MLNet.Model;
using TorchSharp;

namespace Deae.MLNet.Tests;

public class DeviceSelectionTests
{
    [Fact]
    public void AutoPicksCudaOnlyWhenTorchSharpSeesItAndCpuIsAlwaysCpu()
    {
        Assert.Equal(DeviceType.CPU, DeviceSelection.Resolve("cpu").type);
        Assert.Equal(DeviceType.CPU, DeviceSelection.Resolve(" CPU ").type);
        var expected = DeviceSelection.CudaAvailable() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, DeviceSelection.Resolve("auto").type);
    }

    [Fact]
    public void CudaWithoutAGpuAndUnknownNamesAreRefusedByName()
    {
        if (!DeviceSelection.CudaAvailable())
        {
            foreach (string cuda in new[] { "cuda", "cuda:1" })
            {
                var error = Assert.Throws<ArgumentException>(() => DeviceSelection.Resolve(cuda)).Message;
                Assert.Contains($"Device '{cuda}': TorchSharp sees no CUDA GPU", error);
            }
        }

        foreach (string name in new[] { "gpu", "cudax", "cuda:", "cuda:-1", "cuda:one" })
        {
            Assert.Contains($"Device '{name}' is not auto, cpu or cuda[:index]", Assert.Throws<ArgumentException>(() => DeviceSelection.Resolve(name)).Message);
        }
    }
}
