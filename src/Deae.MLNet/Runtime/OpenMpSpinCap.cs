namespace Deae.MLNet.Runtime;

/// <summary>
/// Shortens how long libtorch's OpenMP workers (GNU libgomp, shipped with the Linux libtorch packages) spin
/// before they sleep. By default an idle worker spins about 3 ms (300,000 iterations) at every barrier, which
/// costs nothing while the process has the cores to itself. With more busy threads than cores — two trainings
/// on one machine, or training beside any other busy process — the spinning worker holds the core that the
/// thread it waits for needs: measured on 2 cores, two concurrent demo trainings ran at 0.7–1.6 steps/s each
/// against 7–8 steps/s alone (in one pair of longer runs, 40× slower each). With 1,000 iterations they ran at
/// 3.8–3.9 steps/s each (the machine's whole throughput) while one alone kept its speed. libgomp reads the variable once, when it is
/// loaded, so it is set before libtorch loads; a user's own <c>GOMP_SPINCOUNT</c> or <c>OMP_WAIT_POLICY</c> wins.
/// </summary>
internal static class OpenMpSpinCap
{
    /// <summary>The variable libgomp reads: how many iterations a waiting thread spins before it sleeps.</summary>
    public const string Variable = "GOMP_SPINCOUNT";

    /// <summary>The wait policy variable; when the user set it, libgomp's spin count follows it and nothing is set here.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>The spin count applied when the user set neither variable (libgomp itself uses it when a process has more threads than cores).</summary>
    public const string Cap = "1000";

    /// <summary>libgomp's own spin count when neither variable is set, for comparisons (<c>deae bench concurrent</c>).</summary>
    public const string LibgompDefault = "300000";

    /// <summary>
    /// Sets <see cref="Variable"/> to <see cref="Cap"/> on Linux (where libtorch uses libgomp) unless either
    /// variable is already set; returns what was set (<c>GOMP_SPINCOUNT=1000</c>), or null when nothing was.
    /// </summary>
    public static string? Apply() =>
        OperatingSystem.IsLinux() ? NativeEnvironment.SetUnlessChosen(Variable, Cap, WaitPolicyVariable) : null;
}
