namespace Deae.MLNet.Training;

/// <summary>A training progress report.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Losses">Each loss term's value at this step (total included).</param>
/// <param name="ImagesPerSecond">Training images (group members) per second since the previous report.</param>
/// <param name="ValidationLosses">
/// Each loss term's mean on the validation data after this step, when validation data was given and
/// this step was scored (<see cref="DeaeTrainerOptions.ValidateEvery"/>); otherwise null.
/// </param>
/// <param name="GradientNorm">
/// The L2 norm of all gradients of this step, before any clipping (<see cref="DeaeTrainerOptions.GradientClipNorm"/>);
/// NaN when the report was not made by the trainer.
/// </param>
/// <param name="CodeSpread">
/// How far apart this step's real images lie in latent space: the standard deviation of their codes across the
/// batch, averaged over the latent dimensions. Near 0 the encoder gives every image the same code and the
/// decoder can only learn their mean image (see <see cref="DeaeTrainerOptions.CollapseRatio"/>). NaN when the
/// report was not made by the trainer.
/// </param>
public sealed record TrainingProgress(int Step, int TotalSteps, IReadOnlyDictionary<string, float> Losses, double ImagesPerSecond, IReadOnlyDictionary<string, float>? ValidationLosses = null, double GradientNorm = double.NaN, double CodeSpread = double.NaN);
