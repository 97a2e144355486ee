namespace Deae.MLNet.Training;

/// <summary>The training objective measured on validation data after a step.</summary>
/// <param name="Step">Steps done when the validation data was scored.</param>
/// <param name="Losses">Each loss term's mean over the validation batches, "total" included.</param>
public sealed record ValidationResult(int Step, IReadOnlyDictionary<string, float> Losses);
