namespace Deae.MLNet.Evaluation;

/// <summary>
/// The checks one half-way background interpolation must pass to count as valid
/// (<see cref="ModelReport.InterpolationValidity"/>); each failed check says why an image was not.
/// </summary>
/// <param name="Moved">The border moved more than 30 RGB units from the original's background: a real edit.</param>
/// <param name="UniformBorder">At most 5 % of the border strays more than 30 RGB units from its median colour.</param>
/// <param name="FontColorKept">The font colour reads as the original's.</param>
/// <param name="LetterKept">The letter reads as the original's (true when the model has no letter chunk: not judged).</param>
public readonly record struct ValidityCheck(bool Moved, bool UniformBorder, bool FontColorKept, bool LetterKept)
{
    /// <summary>Whether every check passed.</summary>
    public bool Valid => Moved && UniformBorder && FontColorKept && LetterKept;
}

/// <summary>
/// Why half-way background interpolations were judged invalid: the fraction of them failing each check of
/// <see cref="ValidityCheck"/> (an image can fail several, so the fractions may sum past 1 − validity).
/// </summary>
/// <param name="NotMoved">The border stayed within 30 RGB units of the original's background: no edit.</param>
/// <param name="BorderNotUniform">More than 5 % of the border strays from its median colour: a mottled or smeared background.</param>
/// <param name="FontColorChanged">The font colour no longer reads as the original's.</param>
/// <param name="LetterChanged">The letter no longer reads as the original's.</param>
public sealed record ValidityFailures(double NotMoved, double BorderNotUniform, double FontColorChanged, double LetterChanged)
{
    /// <summary>The fractions of <paramref name="checks"/> failing each check.</summary>
    public static ValidityFailures Of(IReadOnlyCollection<ValidityCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0)
        {
            throw new ArgumentException("No half-way images were checked.", nameof(checks));
        }

        double Failing(Func<ValidityCheck, bool> passed) => checks.Average(c => passed(c) ? 0.0 : 1.0);
        return new(Failing(c => c.Moved), Failing(c => c.UniformBorder), Failing(c => c.FontColorKept), Failing(c => c.LetterKept));
    }
}
