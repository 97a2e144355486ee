using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Deae.MLNet.Tests;

/// <summary>
/// The helpers a Polyglot (.NET Interactive) notebook cell can call, recorded instead of rendered.
/// </summary>
public sealed class NotebookGlobals
{
    /// <summary>Everything the cells displayed, in order.</summary>
    public List<object?> Displayed { get; } = [];

#pragma warning disable IDE1006 // the names are .NET Interactive's
    /// <summary>.NET Interactive's display(): records the value.</summary>
    public void display(object? value) => Displayed.Add(value);

    /// <summary>.NET Interactive's HTML(): the markup itself.</summary>
    public string HTML(string html) => html;
#pragma warning restore IDE1006
}

/// <summary>
/// Runs a notebook's C# code cells in order as one Roslyn script session — each cell continues the
/// state of the ones before, as in a notebook kernel. <c>#r</c> and <c>#!</c> lines are for the notebook
/// host and are skipped: the test process already holds the library and its packages.
/// </summary>
internal static class NotebookRunner
{
    /// <summary>The namespaces a .NET Interactive C# kernel imports before the first cell.</summary>
    private static readonly string[] KernelImports = ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    /// <summary>The C# code cells of an .ipynb, each as one string.</summary>
    public static List<string> CodeCells(string notebookPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        return document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
    }

    /// <summary>Runs every code cell; a failing cell fails with its number and the compiler's or runtime's message.</summary>
    public static async Task<(ScriptState State, NotebookGlobals Globals)> RunAsync(string notebookPath)
    {
        var options = ScriptOptions.Default
            .WithReferences(References())
            .WithImports(KernelImports)
            .WithFilePath(notebookPath)
            .WithOptimizationLevel(OptimizationLevel.Release);
        var globals = new NotebookGlobals();
        ScriptState? state = null;
        var cells = CodeCells(notebookPath);
        for (int i = 0; i < cells.Count; i++)
        {
            string code = string.Join('\n', cells[i].Split('\n').Where(l => !l.TrimStart().StartsWith("#r ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
            try
            {
                state = state is null
                    ? await CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals))
                    : await state.ContinueWithAsync(code, options);
            }
            catch (CompilationErrorException e)
            {
                throw new InvalidOperationException($"{Path.GetFileName(notebookPath)}, code cell {i + 1}: {string.Join("; ", e.Diagnostics)}", e);
            }

            if (state.Exception is not null)
            {
                throw new InvalidOperationException($"{Path.GetFileName(notebookPath)}, code cell {i + 1} threw: {state.Exception.Message}", state.Exception);
            }

            if (state.ReturnValue is not null)
            {
                globals.Displayed.Add(state.ReturnValue); // a cell's last expression is displayed too
            }
        }

        return (state ?? throw new InvalidOperationException($"{notebookPath} has no code cells."), globals);
    }

    /// <summary>The framework and every managed assembly next to the tests (the library and its packages).</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Where(IsManaged);
        return platform.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
