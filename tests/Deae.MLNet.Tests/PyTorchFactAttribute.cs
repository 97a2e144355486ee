using System.Diagnostics;

namespace Deae.MLNet.Tests;

/// <summary>
/// A test that runs real PyTorch on the reference class: it needs a Python with <c>torch</c>
/// (<c>DEAE_PYTHON</c>, default <c>python3</c>; Debian: <c>apt-get install python3-torch</c>, then
/// <c>DEAE_PYTHON=/usr/bin/python3</c>) and <c>DEAE_REFERENCE_REPO</c> set to a clone of
/// gyhandy/Group-Supervised-Learning (the folder holding <c>model_share.py</c>). Neither is on the CI
/// machine, so it is skipped there with the reason; the result of a run is in docs/training.md.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public PyTorchFactAttribute()
    {
        if (Missing.Value is string reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The folder holding the reference repository's <c>model_share.py</c>.</summary>
    public static string ReferenceRepository => Environment.GetEnvironmentVariable("DEAE_REFERENCE_REPO") ?? "";

    /// <summary>The Python interpreter that has <c>torch</c>.</summary>
    public static string Python => Environment.GetEnvironmentVariable("DEAE_PYTHON") ?? "python3";

    private static string? FindMissing()
    {
        if (!File.Exists(Path.Combine(ReferenceRepository, "model_share.py")))
        {
            return "PyTorch test: set DEAE_REFERENCE_REPO to a clone of gyhandy/Group-Supervised-Learning (holding model_share.py)";
        }

        try
        {
            using var python = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true })!;
            python.WaitForExit();
            return python.ExitCode == 0 ? null : $"PyTorch test: {Python} cannot import torch (Debian: apt-get install python3-torch; DEAE_PYTHON names the interpreter)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"PyTorch test: {Python} is not on PATH";
        }
    }
}
