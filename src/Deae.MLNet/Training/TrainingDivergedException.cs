namespace Deae.MLNet.Training;

/// <summary>Training produced a loss that is not a finite number; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="step"/> and the loss term at fault.</summary>
    public TrainingDivergedException(int step, string term, float value)
        : base($"Training diverged at step {step}: loss '{term}' is {value}. The last checkpoint (if any) is kept; lower the learning rate or the loss weights and resume or restart.")
    {
        Step = step;
        Term = term;
    }

    /// <summary>Creates the exception for <paramref name="step"/> whose loss was finite but whose gradient norm was not, on every one of <paramref name="passes"/> backward passes.</summary>
    public TrainingDivergedException(int step, double gradientNorm, int passes)
        : base($"Training diverged at step {step}: the loss is finite but the gradient norm is {gradientNorm} on each of {passes} backward passes. The last checkpoint (if any) is kept; lower the learning rate or the loss weights and resume or restart.")
    {
        Step = step;
        Term = "gradient";
    }

    /// <summary>The step whose loss (or gradient) was not finite.</summary>
    public int Step { get; }

    /// <summary>The loss term that was not finite, or "gradient".</summary>
    public string Term { get; }
}
