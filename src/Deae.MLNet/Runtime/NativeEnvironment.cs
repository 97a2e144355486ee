using System.Runtime.InteropServices;

namespace Deae.MLNet.Runtime;

/// <summary>
/// Sets defaults for native libraries that read their settings from the process environment once, when
/// they load or first run (oneDNN, libgomp), without overriding a choice the user made.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>
    /// Sets <paramref name="name"/> to <paramref name="value"/> in the native environment (and in .NET's copy)
    /// unless <paramref name="name"/> or any of <paramref name="alternatives"/> (variables that express the same
    /// choice) is already set; returns what was set (<c>name=value</c>), or null when nothing was.
    /// </summary>
    public static string? SetUnlessChosen(string name, string value, params string[] alternatives)
    {
        if (alternatives.Prepend(name).Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
        {
            return null;
        }

        // On Unix, Environment.SetEnvironmentVariable changes .NET's own copy only; native getenv needs setenv.
        if (!OperatingSystem.IsWindows() && SetEnv(name, value, 0) != 0)
        {
            return null;
        }

        Environment.SetEnvironmentVariable(name, value);
        return $"{name}={value}";
    }

    /// <summary>The value native code sees for <paramref name="name"/> (getenv), or null; on Windows, .NET's copy.</summary>
    public static string? NativeValue(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
