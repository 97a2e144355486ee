using System.IO.Compression;
using Deae.MLNet.IO;
using Microsoft.ML;

namespace Deae.MLNet.MLNet;

/// <summary>
/// Saves and loads whole ML.NET pipelines (a DEAE step included) under the project's file rules: the
/// zip is written atomically and never replaces a file unless asked, and a missing, truncated or
/// corrupted zip — or a damaged ONNX model inside it — is an error that names the file. The zips are
/// ordinary ML.NET model files: <c>mlContext.Model.Load</c> reads them too, with ML.NET's own errors.
/// </summary>
public static class PipelineFile
{
    /// <summary>Saves <paramref name="model"/> and its input schema to <paramref name="path"/> atomically.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <param name="path">The zip to write.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, overwrite, stream => mlContext.Model.Save(model, inputSchema, stream));
    }

    /// <summary>
    /// Loads a pipeline saved by <see cref="Save"/> or by <c>mlContext.Model.Save</c>. Every entry of the zip is
    /// decompressed in full first (a truncated or damaged file fails there, with its name), then ML.NET loads it.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="path">The zip to read.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, loadable ML.NET model zip.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The ML.NET model '{full}' does not exist.", full);
        }

        // Read once: the same bytes are checked entry by entry and then given to ML.NET.
        byte[] bytes = File.ReadAllBytes(full);
        CheckZip(bytes, full);
        try
        {
            return mlContext.Model.Load(new MemoryStream(bytes, writable: false), out inputSchema);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            string what = IsOnnxFailure(e) ? "an ONNX model in it (such as the DEAE encoder) is damaged" : "ML.NET could not load it";
            throw new InvalidDataException($"'{full}' is not a loadable ML.NET model: {what}. {Innermost(e).Message}", e);
        }
    }

    /// <summary>Reads every entry to its end, so that a truncated or corrupted zip fails here, naming the file and entry.</summary>
    private static void CheckZip(byte[] bytes, string path)
    {
        string entryName = "(the zip directory)";
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            var buffer = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                entryName = entry.FullName;
                using var content = entry.Open();
                long read = 0;
                for (int n; (n = content.Read(buffer)) > 0;)
                {
                    read += n;
                }

                if (read != entry.Length)
                {
                    throw new InvalidDataException($"the entry holds {read} bytes where the zip's directory says {entry.Length}");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"'{path}' is not a complete ML.NET model zip (truncated or corrupted at {entryName}): {e.Message}", e);
        }
    }

    private static bool IsOnnxFailure(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x.GetType().FullName?.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) == true || x.Message.Contains("onnx", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
