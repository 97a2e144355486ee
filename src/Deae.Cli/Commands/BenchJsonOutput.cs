using System.CommandLine;

namespace Deae.Cli.Commands;

/// <summary>The <c>--json</c> and <c>--overwrite</c> options every bench command has, and their checks.</summary>
internal sealed class BenchJsonOutput
{
    /// <summary>Where to also write the results as JSON.</summary>
    public Option<string?> Json { get; } = new("--json") { Description = "Also write the results to this JSON file." };

    /// <summary>Whether an existing JSON file may be replaced.</summary>
    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Replace an existing JSON file." };

    /// <summary>The JSON path and whether it may be replaced; refuses an existing file without <c>--overwrite</c> before any work starts.</summary>
    public (string? Path, bool Replace) Target(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? path = parse.GetValue(Json);
        bool replace = parse.GetValue(Overwrite);
        CliRunner.EnsureFileWritable(path, replace);
        return (path, replace);
    }
}
