namespace Deae.MLNet.Runtime;

/// <summary>
/// Thrown when TorchSharp's native library cannot be loaded. The message names the library, the
/// requirement that is not met and the fix, instead of TorchSharp's generic load trace.
/// </summary>
public sealed class TorchLoadException : Exception
{
    /// <summary>Creates the exception with a message that explains the failure and its fix.</summary>
    /// <param name="message">What failed, what is missing and how to fix it.</param>
    /// <param name="innerException">The underlying load failure, if any.</param>
    public TorchLoadException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
