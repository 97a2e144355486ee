using System.Runtime.ExceptionServices;

namespace Deae.MLNet.IO;

/// <summary>Parallel loops that surface the first failure as itself, not wrapped in an AggregateException.</summary>
internal static class ParallelWork
{
    /// <summary>Runs <paramref name="body"/> for 0 ≤ i &lt; <paramref name="count"/> on up to <paramref name="parallelism"/> threads (null: every core).</summary>
    public static void For(int count, int? parallelism, Action<int> body)
    {
        if (parallelism is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "Parallelism must be positive.");
        }

        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount }, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
