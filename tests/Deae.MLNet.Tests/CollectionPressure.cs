namespace Deae.MLNet.Tests;

/// <summary>
/// Another thread forcing garbage collections and finalisers until disposed: the situation in which a
/// TorchSharp Scalar can be finalised while libtorch is still reading it.
/// </summary>
internal sealed class CollectionPressure : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _collector;

    public CollectionPressure()
    {
        _collector = Task.Run(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _collector;
        _stop.Dispose();
    }
}
