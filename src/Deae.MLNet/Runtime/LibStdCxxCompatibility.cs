using System.Runtime.InteropServices;
using Deae.MLNet.IO;
using TorchSharp;

namespace Deae.MLNet.Runtime;

/// <summary>
/// Makes TorchSharp's <c>libLibTorchSharp.so</c> loadable on Linux systems whose libstdc++ is older
/// than the GCC 13 one it was linked against (Debian 12 stops at GLIBCXX_3.4.30, the library asks for
/// GLIBCXX_3.4.32). The only symbol of that version is <c>std::ios_base_library_init</c>, a link-time
/// marker that no relocation refers to, so marking the requirement weak is safe. Only requirements
/// on that allow-list are ever weakened; systems that meet every requirement are left untouched.
/// </summary>
/// <remarks>
/// Why at first use rather than at build time: the remedy must reach every entry point (the CLI, the
/// test host, an application that references the library by project reference, a notebook), and only
/// code that runs inside the process sees both the libstdc++ it really uses and the copy of
/// <c>libLibTorchSharp.so</c> it will really load. The NuGet cache is never modified: the app-local
/// copy is patched atomically in place, or, when that copy is not the app's own (e.g. it is loaded
/// straight from the NuGet cache), a patched private copy is made under the user's cache folder.
/// </remarks>
internal static class LibStdCxxCompatibility
{
    internal const string LibraryFileName = "libLibTorchSharp.so";
    private const string StdCxxLibrary = "libstdc++.so.6";

    /// <summary>Version requirements known to be safe to weaken (see the class remarks).</summary>
    internal static readonly IReadOnlySet<string> SafeToWeaken = new HashSet<string>(StringComparer.Ordinal) { "GLIBCXX_3.4.32" };

    /// <summary>
    /// Checks the library TorchSharp will load against the process's libstdc++ and applies the remedy
    /// when needed. Returns a sentence describing what was done, or null when nothing was needed.
    /// </summary>
    public static string? Apply()
    {
        string? library = FindLibraryTorchSharpWillLoad();
        string? stdCxx = FindLoadedStdCxx();
        if (library is null || stdCxx is null)
        {
            return null;
        }

        byte[] image = File.ReadAllBytes(library);
        var provided = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(stdCxx));
        var missing = ElfVersionNeeds.ReadRequirements(image)
            .Where(r => r.Library == StdCxxLibrary && !r.IsWeak && !provided.Contains(r.Version))
            .ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var unsafeToWeaken = missing.Where(r => !SafeToWeaken.Contains(r.Version)).Select(r => r.Version).ToList();
        if (unsafeToWeaken.Count > 0)
        {
            throw new TorchLoadException(
                $"TorchSharp's native library {library} needs {string.Join(", ", unsafeToWeaken)} from {StdCxxLibrary}, " +
                $"which this system's {stdCxx} does not provide. Install a libstdc++ from GCC 13 or newer " +
                "(Ubuntu 24.04, Debian 13 and Fedora 39 have one) and run again.");
        }

        byte[] patched = ElfVersionNeeds.WithWeakRequirements(image, missing);
        string versions = string.Join(", ", missing.Select(r => r.Version));
        if (IsAppLocal(library))
        {
            AtomicFile.WriteAllBytes(library, patched, overwrite: true);
            return $"marked {versions} weak in the app-local copy {library}";
        }

        string copy = WritePrivateCopy(library, patched);
        RedirectTorchSharpTo(copy, Path.GetDirectoryName(library)!);
        return $"loaded a private copy {copy} with {versions} marked weak";
    }

    /// <summary>The first libLibTorchSharp.so on the probing path .NET uses for TorchSharp's imports.</summary>
    private static string? FindLibraryTorchSharpWillLoad()
    {
        var directories = new List<string>();
        string? torchSharpDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchPath)
        {
            directories.AddRange(searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        if (torchSharpDirectory is not null)
        {
            directories.Add(torchSharpDirectory);
            directories.Add(Path.Combine(torchSharpDirectory, "runtimes", "linux-x64", "native"));
        }

        return directories.Select(d => Path.Combine(d, LibraryFileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ this process has loaded (the .NET host links it), else the system's.</summary>
    private static string? FindLoadedStdCxx()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith("libstdc++.so", StringComparison.Ordinal))
                {
                    return line[slash..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // No procfs: fall back to the usual locations below.
        }

        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>A copy inside the application's own folder (not a NuGet cache) that the process may write.</summary>
    private static bool IsAppLocal(string library)
    {
        string appBase = Path.GetFullPath(AppContext.BaseDirectory);
        string full = Path.GetFullPath(library);
        if (!full.StartsWith(appBase, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var probe = File.Open(full, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the patched library into a per-user cache folder, beside links to its sibling libraries
    /// (it finds them through its <c>$ORIGIN</c> run path), and returns its path.
    /// </summary>
    private static string WritePrivateCopy(string library, byte[] patched)
    {
        string cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        // One folder per (patched image, source folder): the links below point into the source folder.
        string sourceDirectory = Path.GetDirectoryName(library)!;
        byte[] identity = [.. patched, .. System.Text.Encoding.UTF8.GetBytes(sourceDirectory)];
        string key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(identity))[..16];
        string directory = Path.Combine(cacheRoot, "deae-mlnet", "native", key);
        Directory.CreateDirectory(directory);
        foreach (string sibling in Directory.EnumerateFiles(sourceDirectory, "*.so*"))
        {
            string link = Path.Combine(directory, Path.GetFileName(sibling));
            if (Path.GetFileName(sibling) != LibraryFileName && !File.Exists(link))
            {
                try
                {
                    File.CreateSymbolicLink(link, sibling);
                }
                catch (IOException) when (File.Exists(link))
                {
                    // Another process made the same link first.
                }
            }
        }

        string copy = Path.Combine(directory, LibraryFileName);
        if (!File.Exists(copy))
        {
            AtomicFile.WriteAllBytes(copy, patched, overwrite: true);
        }

        return copy;
    }

    /// <summary>Loads the private copy and makes TorchSharp's "LibTorchSharp" imports resolve to it.</summary>
    private static void RedirectTorchSharpTo(string copy, string originalDirectory)
    {
        // The libtorch libraries it needs load from their own folder first, so that the copy's
        // NEEDED entries bind to the same instances TorchSharp's own probing loads.
        foreach (string dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            string path = Path.Combine(originalDirectory, dependency);
            if (File.Exists(path))
            {
                NativeLibrary.Load(path);
            }
        }

        IntPtr handle = NativeLibrary.Load(copy);
        NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) =>
            name is "LibTorchSharp" or LibraryFileName ? handle : IntPtr.Zero);
    }
}
