using System.CommandLine;
using System.CommandLine.Help;

namespace Deae.Cli.Commands;

/// <summary>
/// How a command was run, for the reports it writes: the command line as given, and every option of the
/// command with its parsed or default value. Defaults change between versions, so a report that gives
/// only what was typed cannot be repeated exactly later.
/// </summary>
internal static class RunRecord
{
    /// <summary>The command line as given (<c>deae</c> and the tokens after it), quoted where a token has spaces.</summary>
    public static string CommandLine(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return "deae " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
    }

    /// <summary>
    /// Every option of the parsed command but <paramref name="excluded"/> (outputs, or settings that did not
    /// apply), by name, with its parsed or default value: enums by name, lists comma-separated, absent ones null.
    /// </summary>
    public static SortedDictionary<string, object?> Settings(ParseResult parse, IEnumerable<Option> excluded)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(excluded);
        var skip = excluded.ToHashSet();
        var settings = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var option in parse.CommandResult.Command.Options.Where(o => !skip.Contains(o) && o is not HelpOption and not VersionOption))
        {
            settings[option.Name] = parse.GetValue<object>(option.Name) switch
            {
                Enum value => value.ToString(),
                string[] values => string.Join(',', values),
                var value => value,
            };
        }

        return settings;
    }

    /// <summary>The markdown line that opens a report: the command as given and every setting.</summary>
    public static string MarkdownLine(ParseResult parse, IReadOnlyDictionary<string, object?> settings) =>
        $"Command: `{CommandLine(parse)}`; every setting, defaults included: `{AsArguments(settings)}`.{Environment.NewLine}{Environment.NewLine}";

    /// <summary>The settings as command-line text (<c>--name value</c>, flags only when set, absent options left out).</summary>
    public static string AsArguments(IReadOnlyDictionary<string, object?> settings) =>
        string.Join(' ', settings.Where(s => s.Value is not null and not false).Select(s => s.Value is true ? s.Key : $"{s.Key} {Convert.ToString(s.Value, System.Globalization.CultureInfo.InvariantCulture)}"));
}
