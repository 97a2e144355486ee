namespace Deae.MLNet.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting (training) thread, at once.
/// <see cref="Progress{T}"/> posts each report to the thread pool, so reports can arrive out of order or
/// after training has returned — too late for a log channel that is closed by then.
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
/// <param name="report">Handles each report.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Action<T> _report = report ?? throw new ArgumentNullException(nameof(report));

    /// <inheritdoc/>
    public void Report(T value) => _report(value);
}
