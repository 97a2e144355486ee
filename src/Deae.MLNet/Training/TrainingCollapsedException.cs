namespace Deae.MLNet.Training;

/// <summary>
/// Training stopped because the encoder's codes collapsed (<see cref="DeaeTrainerOptions.CollapseRatio"/>): every
/// image got nearly the same code, so the decoder could only learn the mean image.
/// </summary>
public sealed class TrainingCollapsedException : Exception
{
    /// <summary>Creates the exception for <paramref name="step"/> with the spreads that were compared.</summary>
    /// <param name="step">The step at which training stopped.</param>
    /// <param name="spread">The code spread averaged over the last 50 steps.</param>
    /// <param name="startSpread">The code spread averaged over the first 10 steps.</param>
    /// <param name="ratio">The <see cref="DeaeTrainerOptions.CollapseRatio"/> in force.</param>
    public TrainingCollapsedException(int step, double spread, double startSpread, double ratio)
        : base($"Training stopped at step {step}: the encoder's codes have collapsed. Their spread across a batch averaged {spread:0.0000} " +
            $"over the last {CollapseMonitor.Window} steps against {startSpread:0.0000} over the first {CollapseMonitor.StartSteps} (CollapseRatio {ratio}), so every image " +
            "now gets nearly the same code and the decoder can only learn the mean image. With CycleWeight above 0 this is the cycle loss's " +
            "trivial solution: start it later (CycleWarmupSteps), lower CycleWeight or the learning rate, or try another seed. " +
            "Set CollapseRatio to 0 to train on regardless. The last checkpoint (if any) is kept, but it may hold the collapse already.")
    {
        Step = step;
        Spread = spread;
        StartSpread = startSpread;
    }

    /// <summary>The step at which training stopped.</summary>
    public int Step { get; }

    /// <summary>The code spread averaged over the last 50 steps.</summary>
    public double Spread { get; }

    /// <summary>The code spread averaged over the run's (or the resumption's) first 10 steps.</summary>
    public double StartSpread { get; }
}
