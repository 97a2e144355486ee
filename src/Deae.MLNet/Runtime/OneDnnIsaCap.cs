using System.Runtime.InteropServices;

namespace Deae.MLNet.Runtime;

/// <summary>
/// Caps oneDNN, the library libtorch runs CPU convolutions with, at AVX2 kernels unless the user has chosen
/// its instruction set. Measured on an AMD EPYC with AVX-512 (TorchSharp 0.107's libtorch): the first
/// backward pass of a tiny DEAE returned NaN input gradients from a convolution (anomaly mode named
/// ConvolutionBackward0) in 7 of 10 fresh processes, at random, so a seeded run diverged at step 2 or
/// trained, depending on the process; with <c>DNNL_MAX_CPU_ISA=AVX2</c> 16 of 16 processes trained.
/// oneDNN reads the variable from the native environment once, when it first dispatches a kernel, so
/// it is set before the first tensor operation. On CPUs without AVX-512 the cap changes nothing.
/// </summary>
internal static class OneDnnIsaCap
{
    /// <summary>The variable oneDNN reads (it also reads <see cref="NewVariable"/>, which takes precedence).</summary>
    public const string Variable = "DNNL_MAX_CPU_ISA";

    /// <summary>The newer name of <see cref="Variable"/>.</summary>
    public const string NewVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap applied when the user set neither variable.</summary>
    public const string Cap = "AVX2";

    /// <summary>
    /// Sets <see cref="Variable"/> to <see cref="Cap"/> on x64 unless either variable is already set;
    /// returns what was set (e.g. <c>DNNL_MAX_CPU_ISA=AVX2</c>), or null when nothing was.
    /// </summary>
    public static string? Apply() =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? NativeEnvironment.SetUnlessChosen(Variable, Cap, NewVariable) : null;
}
