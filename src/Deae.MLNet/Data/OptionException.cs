namespace Deae.MLNet.Data;

/// <summary>
/// An option, or a combination of options, that cannot be used. The message names the option (its
/// field name and its command-line flag) and the value at fault.
/// </summary>
public sealed class OptionException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="option">The option's field name, e.g. <c>FontColors</c>.</param>
    /// <param name="flag">The option's command-line flag, e.g. <c>--font-colors</c>.</param>
    /// <param name="message">What is wrong with the value.</param>
    public OptionException(string option, string flag, string message)
        : base($"{option} ({flag}): {message}", option)
    {
        Option = option;
        Flag = flag;
    }

    /// <summary>The option's field name.</summary>
    public string Option { get; }

    /// <summary>The option's command-line flag.</summary>
    public string Flag { get; }
}
