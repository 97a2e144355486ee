namespace Deae.MLNet.Tests;

/// <summary>
/// A test that takes more than a few seconds (training). Skipped in the default local run so that it
/// stays fast; runs when CI=true (as .ci/run sets it) or DEAE_SLOW_TESTS=1.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (!Enabled)
        {
            Skip = "slow test: set DEAE_SLOW_TESTS=1 (CI=true runs it too)";
        }
    }

    public static bool Enabled =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("DEAE_SLOW_TESTS") == "1";
}
