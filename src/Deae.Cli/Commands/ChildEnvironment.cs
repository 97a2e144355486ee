using System.Diagnostics;

namespace Deae.Cli.Commands;

/// <summary>Environment changes for a child process (benchmark probes, and the tests' CLI runs).</summary>
internal static class ChildEnvironment
{
    /// <summary>Applies <paramref name="environment"/> to <paramref name="start"/>: sets each variable, or removes it where the value is null.</summary>
    public static void Apply(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
    }
}
