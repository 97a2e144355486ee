using TorchSharp;

namespace Deae.MLNet.Runtime;

/// <summary>
/// The one way Deae.MLNet loads TorchSharp's native backend. Every entry point of the library calls
/// <see cref="EnsureLoaded"/> before it touches a tensor, so applications, tests and notebooks need no
/// manual step; applications that use TorchSharp directly may call it first too.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static volatile bool s_loaded;
    private static string? s_remedy;
    private static string? s_isaCap;
    private static string? s_spinCap;

    /// <summary>What was done to make the native library load on this system, or null if nothing was needed.</summary>
    public static string? AppliedRemedy => s_remedy;

    /// <summary>
    /// The cap put on oneDNN's CPU kernels (<c>DNNL_MAX_CPU_ISA=AVX2</c> on x64: its AVX-512 convolution
    /// backward pass was measured returning NaN gradients at random), or null where the user set
    /// <c>DNNL_MAX_CPU_ISA</c> or <c>ONEDNN_MAX_CPU_ISA</c> or the process is not x64.
    /// </summary>
    public static string? CpuKernelCap => s_isaCap;

    /// <summary>
    /// The cap put on how long libtorch's OpenMP workers spin before sleeping (<c>GOMP_SPINCOUNT=1000</c> on
    /// Linux: with libgomp's default, two trainings sharing 2 cores trained at 0.38–0.45 of one alone's speed together),
    /// or null where the user set <c>GOMP_SPINCOUNT</c> or <c>OMP_WAIT_POLICY</c> or the system is not Linux.
    /// </summary>
    public static string? OpenMpSpinCap => s_spinCap;

    /// <summary>
    /// Loads TorchSharp's native backend once per process, applying the libstdc++ remedy on Linux
    /// systems that need it, the oneDNN kernel cap (<see cref="CpuKernelCap"/>) and the OpenMP spin cap (<see cref="OpenMpSpinCap"/>). Throws <see cref="TorchLoadException"/> with the cause and the fix when
    /// the backend cannot be loaded.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (s_loaded)
        {
            return;
        }

        lock (s_gate)
        {
            if (s_loaded)
            {
                return;
            }

            // Before libtorch is loaded: oneDNN and libgomp read their settings once, from the native environment.
            s_isaCap = OneDnnIsaCap.Apply();
            s_spinCap = Runtime.OpenMpSpinCap.Apply();
            if (OperatingSystem.IsLinux())
            {
                s_remedy = LibStdCxxCompatibility.Apply();
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                using var probe = torch.ones(1);
            }
            catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new TorchLoadException(
                    $"TorchSharp's native library ({LibStdCxxCompatibility.LibraryFileName} and libtorch) could not be loaded: " +
                    $"{FirstLine(ex)} Reference a libtorch backend package in the application " +
                    "(this repository's projects use -p:TorchBackend=cpu by default, or TorchSharp-cpu in your own app), " +
                    "and on Linux make sure libstdc++ provides GLIBCXX_3.4.30 or newer.",
                    ex);
            }

            s_loaded = true;
        }
    }

    private static string FirstLine(Exception ex)
    {
        string message = (ex.InnerException ?? ex).Message;
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
