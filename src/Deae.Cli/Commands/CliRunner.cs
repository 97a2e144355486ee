using Deae.MLNet.Data;
using Deae.MLNet.Runtime;
using Spectre.Console;

namespace Deae.Cli.Commands;

/// <summary>Runs a command body and turns expected failures into one clear line and a non-zero exit code.</summary>
internal static class CliRunner
{
    /// <summary>Exit code for bad input (options, files, folders).</summary>
    public const int BadInput = 2;

    /// <summary>
    /// How reports are written as JSON: indented, with a non-finite number (e.g. the separation of a chunk with no
    /// spread within values) written as "Infinity" or "NaN" rather than failing once the models have trained.
    /// </summary>
    public static readonly System.Text.Json.JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Runs <paramref name="body"/>; bad input prints "error: …" on standard error and returns <see cref="BadInput"/>.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 130;
        }
        catch (Deae.MLNet.Training.TrainingCollapsedException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message} On the command line: --cycle-warmup, --cycle-weight, --lr or --seed; --collapse-ratio 0 trains on regardless.");
            return BadInput;
        }
        catch (Exception ex) when (ex is Deae.MLNet.Training.TrainingDivergedException or OptionException or ArgumentException or FormatException or IOException or InvalidDataException or UnauthorizedAccessException or TorchLoadException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return BadInput;
        }
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar of <paramref name="total"/> steps (plain output when not a terminal).</summary>
    public static T WithProgress<T>(string label, int total, Func<IProgress<int>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                result = work(new Progress<int>(done => task.Value = done));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>
    /// Reads the images a trained model is to encode: its attribute columns and <paramref name="alsoRead"/>
    /// (attributes explored on the full latent need no chunk), decoded to its channel count, refused (naming
    /// the data and the size the model needs) when their size differs from the trained one.
    /// </summary>
    public static ImageDataset ReadFor(Deae.MLNet.Model.DeaeModel model, string dataPath, IEnumerable<string>? alsoRead = null)
    {
        int size = model.Architecture.ImageSize;
        var columns = model.Layout.Attributes.Concat(alsoRead ?? []).Distinct(StringComparer.Ordinal).ToList();
        var images = DatasetReader.Read(dataPath, columns, model.Architecture.Channels);
        if (images.Width != size || images.Height != size)
        {
            throw new ArgumentException($"--data '{dataPath}' holds {images.Width}x{images.Height} images; the model was trained on {size}x{size} (generate the data with --image-size {size}).");
        }

        return images;
    }

    /// <summary>Fails before any work if <paramref name="path"/> exists and may not be replaced (null: no file).</summary>
    public static void EnsureFileWritable(string? path, bool overwrite)
    {
        if (path is not null && File.Exists(path) && !overwrite)
        {
            throw new IOException($"'{Path.GetFullPath(path)}' already exists; pass --overwrite to replace it.");
        }
    }

    /// <summary>
    /// Fails if any of <paramref name="ignored"/> was given on the command line alongside
    /// <paramref name="mode"/>, which does not use them: an option that is silently dropped is a lie.
    /// </summary>
    public static void RefuseUnused(System.CommandLine.ParseResult parse, string mode, params System.CommandLine.Option[] ignored)
    {
        var given = ignored.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
        {
            throw new ArgumentException($"{string.Join(", ", given)} cannot be combined with {mode}, which does not use {(given.Count == 1 ? "it" : "them")}.");
        }
    }

    /// <summary>Splits comma-separated option values ("red,blue" or "red blue") into a list; an absent option gives null.</summary>
    public static IReadOnlyList<string>? SplitList(string[]? values) =>
        values is null || values.Length == 0 ? null : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
