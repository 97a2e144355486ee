using Deae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>Turns a device option ("auto", "cpu", "cuda", "cuda:1") into a torch device.</summary>
public static class DeviceSelection
{
    /// <summary>The device named by <paramref name="option"/>; "auto" picks CUDA when TorchSharp sees a GPU, else the CPU.</summary>
    public static Device Resolve(string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(option);
        TorchRuntime.EnsureLoaded();
        string value = option.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return CudaAvailable() ? CUDA : CPU;
        }

        if (value == "cpu")
        {
            return CPU;
        }

        if (value == "cuda" || (value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(5), System.Globalization.NumberStyles.None, null, out _)))
        {
            if (!CudaAvailable())
            {
                throw new ArgumentException($"Device '{option}': TorchSharp sees no CUDA GPU. Build with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use --device cpu.");
            }

            return new Device(value);
        }

        throw new ArgumentException($"Device '{option}' is not auto, cpu or cuda[:index].");
    }

    /// <summary>
    /// Whether TorchSharp can use a CUDA GPU in this process (false with the CPU backend). Loads the native
    /// backend first (<see cref="TorchRuntime.EnsureLoaded"/>): asking TorchSharp before the libstdc++ remedy
    /// ran would fail its type initialiser for the rest of the process on systems that need the remedy.
    /// </summary>
    public static bool CudaAvailable()
    {
        TorchRuntime.EnsureLoaded();
        try
        {
            return cuda.is_available();
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or InvalidOperationException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
