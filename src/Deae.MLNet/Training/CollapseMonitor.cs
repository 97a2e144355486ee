namespace Deae.MLNet.Training;

/// <summary>
/// Watches the code spread of every step (<see cref="TrainingProgress.CodeSpread"/>) and stops a run whose codes
/// have collapsed (<see cref="DeaeTrainerOptions.CollapseRatio"/>). Averages, not single steps, are compared,
/// because one batch's spread moves with the images drawn.
/// </summary>
internal sealed class CollapseMonitor
{
    /// <summary>Steps whose spreads make the reference, from the first step of a run (or of its resumption).</summary>
    public const int StartSteps = 10;

    /// <summary>Steps whose spreads are averaged and compared with the reference.</summary>
    public const int Window = 50;

    private readonly double _ratio;
    private readonly Queue<double> _recent = new();
    private double _startSum;
    private int _startCount;

    /// <summary>A monitor that stops below <paramref name="ratio"/> times the starting spread (0: never).</summary>
    /// <param name="ratio">The <see cref="DeaeTrainerOptions.CollapseRatio"/>.</param>
    public CollapseMonitor(double ratio) => _ratio = ratio;

    /// <summary>Records <paramref name="spread"/>, measured at <paramref name="step"/> (1-based); throws once the codes have collapsed.</summary>
    /// <exception cref="TrainingCollapsedException">The average of the last <see cref="Window"/> spreads is below the ratio times the starting average.</exception>
    public void Observe(int step, double spread)
    {
        if (_ratio <= 0 || !double.IsFinite(spread))
        {
            return;
        }

        if (_startCount < StartSteps)
        {
            _startSum += spread;
            _startCount++;
        }

        _recent.Enqueue(spread);
        if (_recent.Count > Window)
        {
            _recent.Dequeue();
        }

        if (_recent.Count == Window)
        {
            double start = _startSum / _startCount, recent = _recent.Average();
            if (recent < _ratio * start)
            {
                throw new TrainingCollapsedException(step, recent, start, _ratio);
            }
        }
    }
}
