using System.Diagnostics;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Model;
using Deae.MLNet.Onnx;

namespace Deae.MLNet.Tests;

/// <summary>
/// The <c>deae</c> command line as a user meets it: run as a child process (the CLI writes to the
/// console), checking exit codes, "error:" lines that name what is wrong, and files left untouched.
/// </summary>
public class CliTests
{
    private const int BadInput = 2; // CliRunner.BadInput

    private static (int ExitCode, string Output, string Error) Deae(params string[] arguments) => DeaeWith([], arguments);

    /// <summary>Runs the CLI with <paramref name="environment"/> applied to its environment (a null value removes the variable).</summary>
    private static (int ExitCode, string Output, string Error) DeaeWith(Dictionary<string, string?> environment, params string[] arguments)
    {
        // dotnet test sets DOTNET_HOST_PATH for its child processes; the CLI's assembly is copied next to the tests.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        global::Deae.Cli.Commands.ChildEnvironment.Apply(start, environment);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "deae.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true); // a hung CLI must fail this test, not stall the suite
            Assert.Fail($"deae {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs the CLI expecting bad input: exit code 2 and an "error:" line naming every one of <paramref name="named"/>.</summary>
    private static (int ExitCode, string Output, string Error) Refused(string[] arguments, params string[] named)
    {
        var result = Deae(arguments);
        Assert.Equal(BadInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.All(named, n => Assert.Contains(n, result.Error));
        return result;
    }

    /// <summary>The same JSON, numbers equal to a relative 1e-6; fails naming the first path that differs.</summary>
    private static void AssertSameNumbers(System.Text.Json.JsonElement expected, System.Text.Json.JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} vs {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                Assert.Equal(expected.EnumerateObject().Select(p => p.Name), actual.EnumerateObject().Select(p => p.Name));
                foreach (var property in expected.EnumerateObject())
                {
                    AssertSameNumbers(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                }

                break;
            case System.Text.Json.JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: {expected.GetArrayLength()} vs {actual.GetArrayLength()} items");
                foreach (var (e, a, i) in expected.EnumerateArray().Zip(actual.EnumerateArray()).Select((x, i) => (x.First, x.Second, i)))
                {
                    AssertSameNumbers(e, a, $"{path}[{i}]");
                }

                break;
            case System.Text.Json.JsonValueKind.Number:
                double x = expected.GetDouble(), y = actual.GetDouble();
                Assert.True(Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x)), $"{path}: {x} vs {y}");
                break;
            default:
                Assert.Equal(expected.GetRawText(), actual.GetRawText());
                break;
        }
    }

    private static string TinySet(TempFolder temp) => DatasetWriter.Write(TrainerTests.Tiny(), temp.Combine("tiny"), "fonts", overwrite: false);

    private static string[] TinyTraining(string manifest, string model, params string[] more) =>
        ["train", "-d", manifest, "-o", model, "--steps", "2", "--width", "4", "--hidden", "32", "--latent", "8", "--device", "cpu", .. more];

    [Fact]
    public void TrainingWritesAModelAndRefusesToReplaceItUnlessAsked()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp);
        string model = temp.Combine("tiny.deae");
        var first = Deae(TinyTraining(manifest, model));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(File.Exists(model));
        Assert.True(File.Exists(temp.Combine("tiny.swaps.png")));
        byte[] written = File.ReadAllBytes(model);

        var again = Deae(TinyTraining(manifest, model, "--seed", "2"));
        Assert.Equal(BadInput, again.ExitCode);
        Assert.StartsWith("error: ", again.Error);
        Assert.Contains("tiny.deae", again.Error);
        Assert.Contains("--overwrite", again.Error);
        Assert.Equal(written, File.ReadAllBytes(model));

        var replaced = Deae(TinyTraining(manifest, model, "--seed", "2", "--overwrite"));
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.NotEqual(written, File.ReadAllBytes(model));
    }

    [Fact]
    public void ARunWhoseCodesCollapseStopsNamingTheOptionsThatHelpAndWritesNoModel()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp);
        string model = temp.Combine("collapsed.deae");
        string[] collapsing = [.. TinyTraining(manifest, model, "--kind", "GslAe", "--cycle-weight", "1").Select(a => a == "2" ? "400" : a)];
        var stopped = Refused(collapsing, "collapsed", "--cycle-warmup", "--collapse-ratio 0");
        Assert.Matches(@"stopped at step \d+", stopped.Error);
        Assert.False(File.Exists(model));

        var regardless = Deae([.. collapsing, "--collapse-ratio", "0"]);
        Assert.True(regardless.ExitCode == 0, regardless.Error);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void ExplorationCommandsWriteTheGridsAndDataTheyPromise()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp);
        string model = temp.Combine("m.deae"), withUdvs = temp.Combine("m-udv.deae");
        var trained = Deae([.. TinyTraining(manifest, model).Select(a => a == "2" ? "30" : a)]); // 30 steps: codes that separate the values
        Assert.True(trained.ExitCode == 0, trained.Error);

        var udv = Deae("udv", "-m", model, "-d", manifest, "-o", withUdvs);
        Assert.True(udv.ExitCode == 0, udv.Error);
        Assert.Contains("background_color: 4 UDVs", udv.Output);

        // One row per edited image: the image, 4 trajectory steps and the jump to the centre, each 16 px drawn
        // at 4x, 2 px of white between and around them.
        static int Side(int cells) => (cells * 66) + 2;
        var moved = Deae("synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("move.png"), "-a", "background_color", "--to", "silver", "--images", "3", "--steps", "4");
        Assert.True(moved.ExitCode == 0, moved.Error);
        var grid = SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("move.png"));
        Assert.Equal(Side(6), grid.Width);
        Assert.Contains(grid.Height, new[] { Side(1), Side(2), Side(3) });

        var mined = Deae("synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("mine.png"), "-a", "font_color", "--mine", "red:1,blue:1,green:-1", "--images", "2", "--steps", "3");
        Assert.True(mined.ExitCode == 0, mined.Error);
        var minedGrid = SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("mine.png"));
        Assert.Equal((Side(4), Side(2)), (minedGrid.Width, minedGrid.Height));

        // Random interpolations need no UDVs: each row is the image, the mixes, then the image mixed towards.
        var interpolated = Deae("synthesize", "-m", model, "-d", manifest, "-o", temp.Combine("interp.png"), "-a", "background_color", "--interpolate", "--images", "2", "--steps", "4", "--interpolation", "Linear");
        Assert.True(interpolated.ExitCode == 0, interpolated.Error);
        Assert.Equal((Side(6), Side(2)), (SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("interp.png")).Width, SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("interp.png")).Height));
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("both.png"), "-a", "background_color", "--interpolate", "--to", "silver"], "exactly one of --to");
        Refused(["synthesize", "-m", model, "-d", manifest, "-o", temp.Combine("no-udv.png"), "-a", "background_color", "--to", "silver"], "no UDVs");
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("bad.png"), "-a", "colour", "--to", "silver"], "'colour'");
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("bad.png"), "-a", "background_color", "--to", "navy"], "no value 'navy'");

        // On the full latent, with k chosen: the spaces say so, and synthesis uses them as any other.
        string fullLatent = temp.Combine("m-full.deae");
        var full = Deae("udv", "-m", model, "-d", manifest, "-o", fullLatent, "--attributes", "background_color", "--full-latent", "--clusters", "2");
        Assert.True(full.ExitCode == 0, full.Error);
        Assert.Contains("background_color: 4 UDVs (cyan, orange, purple, silver), 2 KMeans centres (full latent)", full.Output);
        var movedOnFull = Deae("synthesize", "-m", fullLatent, "-d", manifest, "-o", temp.Combine("move-full.png"), "-a", "background_color", "--to", "silver", "--images", "2", "--steps", "3");
        Assert.True(movedOnFull.ExitCode == 0, movedOnFull.Error);
        Assert.Equal(Side(5), SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("move-full.png")).Width);
        Refused(["udv", "-m", model, "-d", manifest, "-o", temp.Combine("m-bad.deae"), "--attributes", "colour"], "'colour'");

        // Conditional editing needs room: a 2-dimension chunk has none left once two other values' scores are kept
        // fixed, and the error says which attribute and values. The 10-dimension full latent has room, with UDVs
        // refitted on score quantiles too.
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("cramped.png"), "-a", "background_color", "--to", "silver", "--conditional"], "Attribute 'background_color': cannot move from", "towards 'silver' with");
        Assert.False(File.Exists(temp.Combine("cramped.png")));
        string quantileUdvs = temp.Combine("m-quantile.deae");
        var refitted = Deae("udv", "-m", model, "-d", manifest, "-o", quantileUdvs, "--attributes", "background_color", "--full-latent", "--quantile", "0.3");
        Assert.True(refitted.ExitCode == 0, refitted.Error);
        var conditionalMove = Deae("synthesize", "-m", quantileUdvs, "-d", manifest, "-o", temp.Combine("move-conditional.png"), "-a", "background_color", "--to", "silver", "--conditional", "--images", "2", "--steps", "3");
        Assert.True(conditionalMove.ExitCode == 0, conditionalMove.Error);
        Assert.Equal(Side(5), SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("move-conditional.png")).Width);
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("unused.png"), "-a", "background_color", "--interpolate", "--conditional"], "--conditional cannot be combined with --interpolate");
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("unused.png"), "-a", "background_color", "--to", "silver", "--step-size", "2"], "--step-size cannot be combined with --to");
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("nan.png"), "-a", "font_color", "--mine", "red:NaN"], "--mine: 'red:NaN'");
        Refused(["synthesize", "-m", withUdvs, "-d", manifest, "-o", temp.Combine("empty.png"), "-a", "font_color", "--mine", ","], "--mine ','");
        Assert.False(File.Exists(temp.Combine("unused.png")));

        // An attribute without a chunk of its own is explored on the full latent: its column is read from the data.
        string noBackground = temp.Combine("no-bg.deae"), noBackgroundUdvs = temp.Combine("no-bg-udv.deae");
        var chunkless = Deae([.. TinyTraining(manifest, noBackground, "--attributes", "letter", "size", "font_color", "font").Select(a => a == "2" ? "30" : a)]);
        Assert.True(chunkless.ExitCode == 0, chunkless.Error);
        Refused(["udv", "-m", noBackground, "-d", manifest, "-o", noBackgroundUdvs, "--attributes", "background_color"], "no chunk for attribute 'background_color'");
        var fullOnly = Deae("udv", "-m", noBackground, "-d", manifest, "-o", noBackgroundUdvs, "--attributes", "background_color", "--full-latent");
        Assert.True(fullOnly.ExitCode == 0, fullOnly.Error);
        Assert.Contains("background_color: 4 UDVs (cyan, orange, purple, silver)", fullOnly.Output);
        var movedWithoutChunk = Deae("synthesize", "-m", noBackgroundUdvs, "-d", manifest, "-o", temp.Combine("move-no-chunk.png"), "-a", "background_color", "--to", "silver", "--images", "2", "--steps", "3");
        Assert.True(movedWithoutChunk.ExitCode == 0, movedWithoutChunk.Error);
        Assert.Equal(Side(5), SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("move-no-chunk.png")).Width);

        var augmented = Deae("augment", "-m", model, "-d", manifest, "-o", temp.Combine("aug"), "-n", "20");
        Assert.True(augmented.ExitCode == 0, augmented.Error);
        Assert.Equal(20, DatasetReader.Read(temp.Combine("aug")).Count);
        Assert.Equal(21, File.ReadAllLines(Path.Combine(temp.Combine("aug"), "provenance.csv")).Length);
        var letterOnlySeen = Deae("augment", "-m", model, "-d", manifest, "-o", temp.Combine("aug-letters"), "-n", "30", "--interpolation", "1", "--seen-only", "letter");
        Assert.True(letterOnlySeen.ExitCode == 0, letterOnlySeen.Error);
        var provenanceRows = global::Deae.MLNet.IO.Csv.ReadRows(Path.Combine(temp.Combine("aug-letters"), "provenance.csv")).Skip(1).ToList();
        Assert.All(provenanceRows, row => Assert.DoesNotContain("+", row[1], StringComparison.Ordinal)); // letter: a seen value
        Assert.Contains(provenanceRows, row => row[4].Contains('+', StringComparison.Ordinal)); // background: mixed
        Refused(["augment", "-m", model, "-d", manifest, "-o", temp.Combine("aug-x"), "--seen-only", "colour"], "--seen-only 'colour'");
        var twoSeen = Deae("augment", "-m", model, "-d", manifest, "-o", temp.Combine("aug-two"), "-n", "30", "--interpolation", "1", "--seen-only", "letter,size");
        Assert.True(twoSeen.ExitCode == 0, twoSeen.Error);
        Assert.All(global::Deae.MLNet.IO.Csv.ReadRows(Path.Combine(temp.Combine("aug-two"), "provenance.csv")).Skip(1), row => Assert.DoesNotContain("+", row[1] + row[2], StringComparison.Ordinal));
        Refused(["augment", "-m", model, "-d", manifest, "-o", temp.Combine("aug-x"), "--interpolation", "NaN"], "--interpolation (NaN)");
        Refused(["udv", "-m", model, "-d", manifest, "-o", temp.Combine("m-q.deae"), "--quantile", "0.7"], "--quantile 0.7");
    }

    [Fact]
    public void BiasTestScoresEveryClassifierOnTheUnbiasedSetAndNamesTheFilesAtFault()
    {
        using var temp = new TempFolder();
        // Biased: each letter on one background only (A on silver, B on purple, ...); the test set has every pair.
        var all = TrainerTests.Tiny();
        var biased = all.Subset(Enumerable.Range(0, all.Count).Where(i => all.GetLabel(i, all.AttributeIndex("letter")) == all.GetLabel(i, all.AttributeIndex("background_color"))).ToList());
        string train = DatasetWriter.Write(biased, temp.Combine("biased"), "fonts", overwrite: false);
        string test = DatasetWriter.Write(all, temp.Combine("test"), "fonts", overwrite: false);
        string model = temp.Combine("m.deae");
        Assert.Equal(0, Deae(TinyTraining(train, model)).ExitCode);

        string json = temp.Combine("bias.json"), markdown = temp.Combine("bias.md");
        string[] run = ["bias", "-d", train, "--test", test, "--unbiased", test, "-m", model, "--json", json, "--markdown", markdown, "--image-steps", "60", "--device", "cpu"];
        var result = Deae(run);
        Assert.True(result.ExitCode == 0, result.Error);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json));
        var reports = document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("report")).ToList();
        Assert.Equal(2, reports.Count);
        // The report records its settings, those typed and the defaults.
        var settings = document.RootElement.GetProperty("settings");
        Assert.Equal(60, settings.GetProperty("--image-steps").GetInt32());
        Assert.Equal("background_color", settings.GetProperty("--bias").GetString());
        Assert.Equal(model, settings.GetProperty("--model").GetString());
        var onBiased = reports[0];
        Assert.Equal(all.Count / 4, onBiased.GetProperty("TrainRows").GetInt32());
        Assert.Equal(0.75, onBiased.GetProperty("UnseenCombinationShare").GetDouble(), 6);
        Assert.True(onBiased.GetProperty("TrainDependence").GetDouble() > 0.99);
        var features = onBiased.GetProperty("Classifiers").EnumerateArray().Select(c => c.GetProperty("Features").GetString()).ToList();
        Assert.Equal(["image CNN", "latent", "latent without background_color", "letter chunk", "background_color chunk"], features);
        // A network on the images takes the background as the shortcut it is in training: right on the pairs
        // training showed, wrong on most of the others.
        var cnn = onBiased.GetProperty("Classifiers")[0];
        Assert.True(cnn.GetProperty("SeenCombinationAccuracy").GetDouble() > cnn.GetProperty("UnseenCombinationAccuracy").GetDouble() + 0.4, cnn.ToString());
        // The bias chunk alone can only name the letter that background had in training: right exactly on the seen pairs.
        var biasChunk = onBiased.GetProperty("Classifiers")[4];
        Assert.Equal("Deae (m.deae)", biasChunk.GetProperty("Model").GetString());
        double seen = biasChunk.GetProperty("SeenCombinationAccuracy").GetDouble(), unseen = biasChunk.GetProperty("UnseenCombinationAccuracy").GetDouble();
        Assert.Equal((0.25 * seen) + (0.75 * unseen), biasChunk.GetProperty("MicroAccuracy").GetDouble(), 6);
        // Trained on the unbiased set (here the test set itself), no test pair is new and the bias is gone.
        Assert.Equal(0.0, reports[1].GetProperty("UnseenCombinationShare").GetDouble());
        Assert.True(reports[1].GetProperty("TrainDependence").GetDouble() < 0.01);
        string table = File.ReadAllText(markdown);
        Assert.Equal(2 * 5, table.Split('\n').Count(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| model", StringComparison.Ordinal)));

        // Nothing is replaced without --overwrite; unknown attributes and models without the bias chunk are named with the files.
        byte[] written = File.ReadAllBytes(json);
        Refused(run, "bias.json", "--overwrite");
        Assert.Equal(written, File.ReadAllBytes(json));
        Refused(["bias", "-d", train, "--test", test, "--label", "colour", "--image-steps", "0"], "no attribute 'colour'", $"--data '{train}'", $"--test '{test}'");
        string lettersOnly = temp.Combine("letters.deae");
        Assert.Equal(0, Deae(TinyTraining(train, lettersOnly, "--attributes", "letter", "size")).ExitCode);
        Refused(["bias", "-d", train, "--test", test, "-m", lettersOnly, "--image-steps", "0"], "letters.deae", "no chunk for the bias attribute 'background_color'");
    }

    [Fact]
    public void AugmentationTestComparesTheRealSetsWithEachModelsAdditionAndDrawsThem()
    {
        using var temp = new TempFolder();
        // Small set: two of the four backgrounds; test set: the other two (new values, as in the paper's Table 1).
        var all = TrainerTests.Tiny();
        int background = all.AttributeIndex("background_color");
        var small = all.Subset(Enumerable.Range(0, all.Count).Where(i => all.GetLabel(i, background) < 2).ToList());
        var unseen = all.Subset(Enumerable.Range(0, all.Count).Where(i => all.GetLabel(i, background) >= 2).ToList());
        string train = DatasetWriter.Write(small, temp.Combine("small"), "fonts", overwrite: false);
        string test = DatasetWriter.Write(unseen, temp.Combine("test"), "fonts", overwrite: false);
        string large = DatasetWriter.Write(all, temp.Combine("large"), "fonts", overwrite: false);
        string model = temp.Combine("m.deae");
        Assert.Equal(0, Deae(TinyTraining(train, model)).ExitCode);

        string json = temp.Combine("aug.json"), markdown = temp.Combine("aug.md");
        string[] run = ["augment-test", "-d", train, "--test", test, "--large", large, "-m", model, "-n", "40", "--classifier-steps", "20", "--repeats", "2", "--device", "cpu", "--json", json, "--markdown", markdown, "--by", "background_color"];
        var result = Deae(run);
        Assert.True(result.ExitCode == 0, result.Error);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json));
        var report = document.RootElement.GetProperty("report");
        Assert.Equal(unseen.Count, report.GetProperty("TestRows").GetInt32());
        Assert.Equal(2, document.RootElement.GetProperty("settings").GetProperty("--repeats").GetInt32());
        Assert.Equal("letter", document.RootElement.GetProperty("settings").GetProperty("--label").GetString());
        Assert.StartsWith($"Command: `deae augment-test -d {train} ", File.ReadAllText(markdown), StringComparison.Ordinal);
        var sets = report.GetProperty("TrainingSets").EnumerateArray().ToList();
        Assert.Equal(["large", "small", "small + Deae (m.deae)"], sets.Select(s => s.GetProperty("Name").GetString()));
        Assert.Equal([all.Count, small.Count, small.Count], sets.Select(s => s.GetProperty("RealImages").GetInt32()));
        Assert.Equal([0, 0, 40], sets.Select(s => s.GetProperty("SynthesizedImages").GetInt32()));
        Assert.All(sets, s => Assert.Equal(2, s.GetProperty("MicroAccuracies").GetArrayLength()));
        double agreement = sets[2].GetProperty("SynthesizedLabelAgreement").GetDouble();
        Assert.InRange(agreement, 0, 1);
        var lines = File.ReadAllLines(markdown);
        Assert.Equal(3, lines.SkipWhile(line => !line.StartsWith("| training set", StringComparison.Ordinal)).Skip(2).TakeWhile(line => line.StartsWith("| ", StringComparison.Ordinal)).Count());

        // --by: the test set's two backgrounds, neither in the small set, each scored for every training set.
        string[] newBackgrounds = [.. all.Attributes[background].Values.Skip(2)];
        Assert.All(sets, s => Assert.Equal(
            newBackgrounds.Select(b => ("background_color", b, false)),
            s.GetProperty("AccuracyByValue").EnumerateArray().Select(v => (v.GetProperty("Attribute").GetString()!, v.GetProperty("Value").GetString()!, v.GetProperty("InSmallSet").GetBoolean()))));
        Assert.Contains("| background_color | test images | in small set | large | small | small + Deae (m.deae) |", lines);
        Assert.All(newBackgrounds, b => Assert.Single(lines, line => line.StartsWith($"| {b} | ", StringComparison.Ordinal) && line.Contains(" | no | ", StringComparison.Ordinal)));
        // The picture: a row of small-set images, one of test images, one of the model's; 12 per row at twice the size.
        var picture = SkiaSharp.SKBitmap.DecodeBounds(Path.ChangeExtension(markdown, ".samples.png"));
        Assert.Equal(((12 * 34) + 2, (3 * 34) + 2), (picture.Width, picture.Height));

        // Nothing is replaced without --overwrite; a model without the label's chunk and an unknown label are named with the files.
        byte[] written = File.ReadAllBytes(json);
        Refused(run, "aug.json", "--overwrite");
        Assert.Equal(written, File.ReadAllBytes(json));
        string noLetter = temp.Combine("no-letter.deae");
        Assert.Equal(0, Deae(TinyTraining(train, noLetter, "--attributes", "size", "background_color")).ExitCode);
        Refused(["augment-test", "-d", train, "--test", test, "-m", noLetter], "no-letter.deae", "no chunk for the label attribute 'letter'", $"--data '{train}'");
        Refused(["augment-test", "-d", train, "--test", test, "--label", "colour"], "no attribute 'colour'", $"--test '{test}'");
    }

    [Fact]
    public void TrainingProcessesCapOpenMpSpinningUnlessTheUserChoseTheirOwn()
    {
        // With libgomp's default spinning, two trainings sharing 2 cores trained at 0.38-0.45 of one alone's speed
        // together (deae bench concurrent); the cap is set before libtorch loads, and a user's own setting is left alone.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string[] probe = ["bench", "train-rate", "--images", "60", "--steps", "1"];
        var unset = DeaeWith(new() { ["GOMP_SPINCOUNT"] = null, ["OMP_WAIT_POLICY"] = null }, probe);
        Assert.True(unset.ExitCode == 0, unset.Error);
        Assert.Contains("spin_cap GOMP_SPINCOUNT=1000", unset.Output);
        foreach (var (name, value) in new[] { ("GOMP_SPINCOUNT", "5000"), ("OMP_WAIT_POLICY", "PASSIVE") })
        {
            var chosen = DeaeWith(new() { ["GOMP_SPINCOUNT"] = null, ["OMP_WAIT_POLICY"] = null, [name] = value }, probe);
            Assert.True(chosen.ExitCode == 0, chosen.Error);
            Assert.Contains("spin_cap none", chosen.Output);
        }
    }

    [SlowFact]
    public void EveryFreshProcessTrainsTheSameSeededRunWithoutDiverging()
    {
        // On an AMD EPYC with AVX-512, oneDNN's AVX-512 convolution backward pass returned NaN gradients in
        // 7 of 10 fresh processes, so this seeded 2-step run "diverged at step 2" or not depending on the
        // process (TorchRuntime.CpuKernelCap is the mend). Fresh processes, because the fault was per process.
        using var temp = new TempFolder();
        string manifest = TinySet(temp);
        for (int run = 0; run < 5; run++)
        {
            var result = Deae(TinyTraining(manifest, temp.Combine($"run{run}.deae")));
            Assert.True(result.ExitCode == 0, $"run {run}: {result.Error}");
        }
    }

    [SlowFact]
    public void EvaluateComparesEveryKindOnTheSpritesLikeSetBesideThePublishedScores()
    {
        using var temp = new TempFolder();
        string folder = temp.Combine("sprites"), json = temp.Combine("sprites.json"), markdown = temp.Combine("sprites.md");
        var generated = Deae(["generate", "sprites", "-o", folder, "--image-size", "16", "--scales", "2", "--orientations", "4", "--positions", "4", "--max-images", "300"]);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var run = Deae(["evaluate", "-d", Path.Combine(folder, "manifest.csv"), "--steps", "2", "--width", "4", "--hidden", "32", "--latent", "10", "--pairs", "10", "--json", json, "--markdown", markdown]);
        Assert.True(run.ExitCode == 0, run.Error);

        // The default comparison is all four kinds, each scored on the same held-out images; sprites have no
        // colours, so no interpolation validity, and every attribute is controlled and read by the oracles.
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        var reports = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["Deae", "GslAe", "BetaVae", "Autoencoder"], reports.Select(r => r.GetProperty("Model").GetString()));
        string[] factors = ["shape", "scale", "orientation", "pos_x", "pos_y"];
        foreach (var report in reports)
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("InterpolationValidity").ValueKind);
            var control = report.GetProperty("Control").EnumerateArray().ToList();
            Assert.Equal(factors, control.Select(c => c.GetProperty("Attribute").GetString()));
            Assert.All(control, c => Assert.InRange(c.GetProperty("SwapTarget").GetDouble(), 0, 1));
            Assert.InRange(report.GetProperty("Disentanglement").GetProperty("Mig").GetDouble(), 0, 1);
        }

        Assert.All(root.GetProperty("oracle_accuracy").EnumerateObject(), a => Assert.InRange(a.Value.GetDouble(), 0, 1));

        // The published dSprites scores travel with the report and sit beside ours in the table.
        var published = root.GetProperty("published").EnumerateArray().Select(p => p.GetProperty("Model").GetString()).ToList();
        Assert.Equal(PublishedScores.DSprites.Select(p => p.Model), published);
        string table = File.ReadAllText(markdown);
        Assert.All(PublishedScores.DSprites, p => Assert.Contains($"| {p.Model} (published: unsupervised, real dSprites, {p.Source}) |", table));
        Assert.All(["Deae", "GslAe", "BetaVae", "Autoencoder"], kind => Assert.Contains($"| {kind} |", table));
        Assert.False(File.Exists(temp.Combine("sprites.halfway.png"))); // no colours, no validity to picture
    }

    [SlowFact]
    public void EvaluateReportsEveryDimensionKeepsTheTrainedModelsAndReEvaluatesThemToTheSameReport()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp), json = temp.Combine("compare.json"), markdown = temp.Combine("compare.md"), models = temp.Combine("models");
        // The tiny set's letters, sizes and faces in colours it does not have (the paper's Section 3.2 test).
        var unseenImages = FontsGenerator.Generate(new FontsOptions { Letters = "ABCD", Sizes = ["medium", "large"], FontColors = ["pink", "chocolate"], BackgroundColors = ["green", "blue"], MaxFonts = 2, ImageSize = 16 });
        string unseen = DatasetWriter.Write(unseenImages, temp.Combine("unseen"), "fonts", overwrite: false);
        string[] evaluate = ["evaluate", "-d", manifest, "--kinds", "Deae,BetaVae", "--steps", "2", "--width", "4", "--hidden", "32", "--latent", "8", "--pairs", "10", "--save-models", models, "--unseen", unseen];
        var run = Deae([.. evaluate, "--json", json, "--markdown", markdown]);
        Assert.True(run.ExitCode == 0, run.Error);

        // Per model: one mutual-information row per latent dimension, one column per attribute of its layout,
        // and per-dimension modularities that average to the modularity score.
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var reports = document.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["Deae", "BetaVae"], reports.Select(r => r.GetProperty("Model").GetString()));
        foreach (var report in reports)
        {
            var layout = LatentLayout.Parse(report.GetProperty("Layout").GetString()!, 8);
            var rows = report.GetProperty("MutualInformation").EnumerateArray().ToList();
            Assert.Equal(8, rows.Count);
            Assert.All(rows, row => Assert.Equal(layout.Count, row.GetArrayLength()));
            var modularity = report.GetProperty("ModularityByDimension").EnumerateArray().Select(m => m.GetDouble()).ToList();
            Assert.Equal(8, modularity.Count);
            Assert.Equal(report.GetProperty("Disentanglement").GetProperty("Modularity").GetDouble(), modularity.Average(), 9);

            // DCI importances: one row per dimension; each attribute's column sums to 1 (or 0 if no tree split),
            // and the per-attribute accuracies average to DCI informativeness.
            var dci = report.GetProperty("Disentanglement");
            var importance = dci.GetProperty("DciImportance").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
            Assert.Equal(8, importance.Count);
            Assert.All(Enumerable.Range(0, layout.Count), f => Assert.Contains(Math.Round(importance.Sum(r => r[f]), 9), new[] { 0.0, 1.0 }));
            var accuracy = dci.GetProperty("DciInformativenessByFactor").EnumerateArray().Select(a => a.GetDouble()).ToList();
            Assert.Equal(layout.Count, accuracy.Count);
            Assert.Equal(dci.GetProperty("DciInformativeness").GetDouble(), accuracy.Average(), 9);

            // The unseen colours are named as such, and the chunks of everything else are measured.
            var unseenReport = report.GetProperty("UnseenValues");
            Assert.Equal(["font_color", "background_color"], unseenReport.GetProperty("NovelAttributes").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(["letter", "size", "font"], unseenReport.GetProperty("Kept").EnumerateArray().Select(k => k.GetProperty("Attribute").GetString()));
            Assert.InRange(unseenReport.GetProperty("UnseenImages").GetInt32(), 1, 64);
            Assert.All(unseenReport.GetProperty("Kept").EnumerateArray(), k => Assert.InRange(k.GetProperty("UnseenChunkAccuracy").GetDouble(), 0, 1));
        }

        string table = File.ReadAllText(markdown);
        Assert.Contains("Modularity by chunk", table);
        Assert.Contains("Where each attribute is held", table);
        Assert.Contains("Unseen values (font_color, background_color never seen in training;", table);
        // Beside the markdown, the unseen images and each model's reconstruction of them: three rows of ten.
        var (gridWidth, gridHeight, gridPixels) = DatasetReader.DecodeImage(temp.Combine("compare.unseen.png"), 3);
        Assert.Equal((10 * ((16 * 2) + 2)) + 2, gridWidth); // ten cells at scale 2, 2-pixel gaps
        Assert.Equal((3 * ((16 * 2) + 2)) + 2, gridHeight);
        // The first cell (every second pixel, from the 2-pixel margin) is one of the unseen images itself.
        var firstCell = new byte[16 * 16 * 3];
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                Array.Copy(gridPixels, (((2 + (2 * y)) * gridWidth) + 2 + (2 * x)) * 3, firstCell, ((y * 16) + x) * 3, 3);
            }
        }

        Assert.Contains(Enumerable.Range(0, unseenImages.Count), i => unseenImages.GetPixels(i).SequenceEqual(firstCell));

        // And the first validity pairs: originals, donors, then each model's half-way image, with the verdicts the
        // JSON holds (the same pairs for both models).
        var examples = document.RootElement.GetProperty("models").EnumerateArray()
            .Select(m => m.GetProperty("ValidityExamples").EnumerateArray().Select(e => (e.GetProperty("Original").GetInt32(), e.GetProperty("Donor").GetInt32(), e.GetProperty("Valid").GetBoolean())).ToList()).ToList();
        Assert.InRange(examples[0].Count, 1, ModelEvaluator.ValidityExampleCount);
        Assert.Equal(examples[0].Select(e => (e.Item1, e.Item2)), examples[1].Select(e => (e.Item1, e.Item2)));
        var halfwayGrid = SkiaSharp.SKBitmap.DecodeBounds(temp.Combine("compare.halfway.png"));
        Assert.Equal(((examples[0].Count * 66) + 2, (4 * 66) + 2), (halfwayGrid.Width, halfwayGrid.Height)); // 16 px at 4x, 2 px gaps
        Assert.Contains("Half-way background interpolations: compare.halfway.png", table);
        Assert.Contains($"Deae {string.Concat(examples[0].Select(e => e.Item3 ? "✓" : "✗"))}", table);

        // Why the half-way images were invalid: every invalid image fails at least one check and no valid one fails any,
        // so the largest failing fraction is at most, and their sum at least, the invalid fraction.
        foreach (var report in reports)
        {
            var failures = report.GetProperty("InterpolationValidityFailures");
            double[] fractions = [.. new[] { "NotMoved", "BorderNotUniform", "FontColorChanged", "LetterChanged" }.Select(n => failures.GetProperty(n).GetDouble())];
            double invalid = 1 - report.GetProperty("InterpolationValidity").GetDouble();
            Assert.InRange(fractions.Max(), 0, invalid + 1e-9);
            Assert.True(fractions.Sum() >= invalid - 1e-9, $"failures {string.Join("/", fractions)} explain less than the invalid {invalid}");
        }

        Assert.Contains("Why half-way background interpolations were invalid", table);

        // The trained models are kept, each loadable as the kind it was trained as.
        Assert.Equal(["BetaVae.deae", "BetaVae.split.json", "Deae.deae", "Deae.split.json"], Directory.GetFiles(models).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var kept = DeaeModel.Load(Path.Combine(models, "BetaVae.deae"), "cpu"))
        {
            Assert.Equal(ModelKind.BetaVae, kept.Kind);
            Assert.Equal(8, kept.Layout.Dimension);
        }

        // A second run would replace them: refused before any training, the files as they were.
        var before = File.ReadAllBytes(Path.Combine(models, "Deae.deae"));
        Assert.DoesNotContain("training", Refused(evaluate, "Deae.deae", "--overwrite").Output);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(models, "Deae.deae")));
        Refused(["evaluate", "-d", manifest, "--kinds", "Deae,deae", "--steps", "2"], "'Deae'", "more than once");
        Refused(["evaluate", "-d", manifest, "--steps", "2", "--save-models", json], "--save-models", "is a file");
        string larger = DatasetWriter.Write(
            FontsGenerator.Generate(new FontsOptions { Letters = "A", Sizes = ["large"], FontColors = ["pink"], BackgroundColors = ["green"], MaxFonts = 1, ImageSize = 32 }),
            temp.Combine("larger"), "fonts", overwrite: false);
        Assert.DoesNotContain("training", Refused([.. evaluate[..^2], "--unseen", larger, "--overwrite"], "--unseen", "3x32x32").Output);
        Assert.DoesNotContain("training", Refused([.. evaluate[..^2], "--unseen", manifest, "--overwrite"], "--unseen", "has no value that --data lacks").Output);

        // The kept models, evaluated again without training, give the same report (same seed: same held-out images).
        string again = temp.Combine("again.json");
        string[] reevaluate = ["evaluate", "-d", manifest, "--kinds", "Deae,BetaVae", "--pairs", "10", "--models", models, "--unseen", unseen];
        var second = Deae([.. reevaluate, "--json", again]);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.DoesNotContain("training Deae", second.Output); // the progress line of a training
        using var reloaded = System.Text.Json.JsonDocument.Parse(File.ReadAllText(again));
        // Equal to float rounding: a fresh process may encode in the last bits differently (see the README).
        AssertSameNumbers(document.RootElement.GetProperty("models"), reloaded.RootElement.GetProperty("models"), "models");
        Assert.Equal(2, reloaded.RootElement.GetProperty("steps").GetInt32());

        // Each report says how it was run: the command as typed and every setting, defaults included (λ_reg's
        // default is the colour images' 0.01); outputs are not settings, and without training no training setting is recorded.
        var trained = document.RootElement;
        Assert.Equal($"deae {string.Join(' ', evaluate)} --json {json} --markdown {markdown}", trained.GetProperty("command").GetString());
        var settings = trained.GetProperty("settings");
        Assert.Equal(2, settings.GetProperty("--steps").GetInt32());
        Assert.Equal(1, settings.GetProperty("--seed").GetInt32());
        Assert.Equal("Deae,BetaVae", settings.GetProperty("--kinds").GetString());
        Assert.Equal("Others", settings.GetProperty("--reg-chunks").GetString());
        Assert.Equal(0.01, settings.GetProperty("--reg-weight").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, settings.GetProperty("--clip-grad-norm").ValueKind);
        Assert.False(settings.TryGetProperty("--json", out _));
        Assert.Contains($"Command: `deae {string.Join(' ', evaluate)}", table);
        Assert.Contains("--reg-gradient EncoderAndDecoder", table);
        var reevaluated = reloaded.RootElement.GetProperty("settings");
        Assert.Equal(models, reevaluated.GetProperty("--models").GetString());
        Assert.False(reevaluated.TryGetProperty("--steps", out _));
        Assert.False(reevaluated.TryGetProperty("--reg-weight", out _));

        // What --models cannot honour is refused: training options, a kind it does not hold, a file whose kind is not its name.
        Refused([.. reevaluate, "--steps", "5"], "--steps", "--models");
        Refused(["evaluate", "-d", manifest, "--kinds", "GslAe", "--models", models], "GslAe.deae", models);
        string renamed = temp.Combine("renamed");
        Directory.CreateDirectory(renamed);
        File.Copy(Path.Combine(models, "BetaVae.deae"), Path.Combine(renamed, "Deae.deae"));
        Refused(["evaluate", "-d", manifest, "--kinds", "Deae", "--models", renamed], "Deae.deae", "BetaVae");

        // Each kept model records the images it was trained on: another --seed would judge it on some of them.
        Assert.True(File.Exists(Path.Combine(models, "Deae.split.json")));
        Refused([.. reevaluate, "--seed", "2"], "Deae.deae", "may have seen in training", "--seed 1 --holdout 0.2", "--seed 2 --holdout 0.2");
        // Models with chunks in another order would be judged on other pairs.
        string mixed = temp.Combine("mixed");
        Directory.CreateDirectory(mixed);
        File.Copy(Path.Combine(models, "Deae.deae"), Path.Combine(mixed, "Deae.deae"));
        File.Copy(Path.Combine(models, "Deae.split.json"), Path.Combine(mixed, "Deae.split.json"));
        Assert.Equal(0, Deae(TinyTraining(manifest, Path.Combine(mixed, "BetaVae.deae"), "--kind", "BetaVae", "--attributes", "size", "letter", "font_color", "background_color", "font")).ExitCode);
        Refused(["evaluate", "-d", manifest, "--kinds", "Deae,BetaVae", "--pairs", "10", "--models", mixed], "BetaVae.deae", "the same attributes in the same order");
        // A model kept without a split record (here trained by deae train on every image) is evaluated with a warning.
        var withoutRecord = Deae("evaluate", "-d", manifest, "--kinds", "BetaVae", "--pairs", "10", "--models", mixed);
        Assert.True(withoutRecord.ExitCode == 0, withoutRecord.Error);
        Assert.Contains("warning: ", withoutRecord.Error);
        Assert.Contains("BetaVae.split.json' is missing", withoutRecord.Error);
        // A record stays with the file it was written for: a model replaced since is not vouched for by it.
        string replaced = temp.Combine("replaced");
        Directory.CreateDirectory(replaced);
        File.Copy(Path.Combine(models, "Deae.split.json"), Path.Combine(replaced, "Deae.split.json"));
        Assert.Equal(0, Deae(TinyTraining(manifest, Path.Combine(replaced, "Deae.deae"))).ExitCode);
        var replacedRun = Deae("evaluate", "-d", manifest, "--kinds", "Deae", "--pairs", "10", "--models", replaced);
        Assert.True(replacedRun.ExitCode == 0, replacedRun.Error);
        Assert.Contains("Deae.split.json' was written for another version of the model", replacedRun.Error);
    }

    [Fact]
    public void ReportsWriteNonFiniteScoresInsteadOfFailingAfterTraining()
    {
        // E.g. the separation of a chunk that does not vary within values; the default options would throw here.
        string json = System.Text.Json.JsonSerializer.Serialize(new { separation = double.PositiveInfinity, missing = double.NaN }, global::Deae.Cli.Commands.CliRunner.ReportJson);
        Assert.Contains("\"separation\": \"Infinity\"", json);
        Assert.Contains("\"missing\": \"NaN\"", json);
        Assert.Throws<ArgumentException>(() => System.Text.Json.JsonSerializer.Serialize(double.PositiveInfinity));
    }

    [Fact]
    public void ExportWritesTheModelsGraphsAndWeightsAndKeepsThemUnlessAsked()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp), model = temp.Combine("m.deae"), folder = temp.Combine("export");
        Assert.Equal(0, Deae(TinyTraining(manifest, model)).ExitCode);
        var exported = Deae("export", "-m", model, "-o", folder);
        Assert.True(exported.ExitCode == 0, exported.Error);
        using (var loaded = DeaeModel.Load(model, "cpu"))
        {
            Assert.Equal(OnnxExporter.Encoder(loaded), File.ReadAllBytes(Path.Combine(folder, "encoder.onnx")));
            Assert.Equal(OnnxExporter.Decoder(loaded), File.ReadAllBytes(Path.Combine(folder, "decoder.onnx")));
        }

        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(["decoder.onnx", "encoder.onnx", "weights.safetensors"], files.Keys.Select(Path.GetFileName));
        Assert.Equal(0, Deae(TinyTraining(manifest, model, "--overwrite", "--seed", "3")).ExitCode); // other weights
        Refused(["export", "-m", model, "-o", folder], "--overwrite");
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.Equal(0, Deae("export", "-m", model, "-o", folder, "--overwrite").ExitCode);
        Assert.NotEqual(files[Path.Combine(folder, "weights.safetensors")], File.ReadAllBytes(Path.Combine(folder, "weights.safetensors")));
    }

    [Fact]
    public void BadInputEndsWithAnErrorLineNamingIt()
    {
        using var temp = new TempFolder();
        string manifest = TinySet(temp);

        var missing = Deae("train", "-d", temp.Combine("nowhere"), "-o", temp.Combine("m.deae"));
        Assert.Equal(BadInput, missing.ExitCode);
        Assert.StartsWith("error: ", missing.Error);
        Assert.Contains("nowhere", missing.Error);

        // A layout that is not name:size pairs was an unhandled FormatException (a stack trace).
        var layout = Deae(TinyTraining(manifest, temp.Combine("m.deae"), "--layout", "letter:x,size:2"));
        Assert.Equal(BadInput, layout.ExitCode);
        Assert.StartsWith("error: ", layout.Error);
        Assert.Contains("'letter:x' is not name:size", layout.Error);
        Assert.DoesNotContain("   at ", layout.Error);

        var column = Deae(TinyTraining(manifest, temp.Combine("m.deae"), "--attributes", "letter", "colour"));
        Assert.Equal(BadInput, column.ExitCode);
        Assert.Contains("'colour'", column.Error);
        Assert.False(File.Exists(temp.Combine("m.deae")));

        // Options a mode does not use are refused rather than dropped; every --kinds name is checked before training.
        Refused(["generate", "fonts", "--preset", "table1", "--letters", "AB", "-o", temp.Combine("preset")], "--letters");
        Assert.False(Directory.Exists(temp.Combine("preset")));
        Assert.DoesNotContain("training", Refused(["evaluate", "-d", manifest, "--kinds", "Deae,BetaVAEE", "--steps", "1"], "'BetaVAEE'").Output);
        Assert.DoesNotContain("training", Refused(["evaluate", "-d", manifest, "--kinds", "Deae", "--steps", "1", "--pairs", "0"], "--pairs 0").Output);
        Refused(TinyTraining(manifest, temp.Combine("m.deae"), "--holdout", "-0.5"), "--holdout");

        // Data of another size than the model's is named with the size to generate, not as a byte count.
        Assert.Equal(0, Deae(TinyTraining(manifest, temp.Combine("m.deae"))).ExitCode);
        string larger = DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("larger"), "fonts", overwrite: false);
        Refused(["udv", "-m", temp.Combine("m.deae"), "-d", larger, "-o", temp.Combine("udv.deae")], "24x24", "--image-size 16");
        Refused(["synthesize", "-m", temp.Combine("m.deae"), "-d", manifest, "-o", temp.Combine("grid.png"), "-a", "letter", "--to", "A", "--images", "0"], "--images");

        // The benchmark needs 4N distinct images; more used to be cut silently to what the set holds.
        var bench = Deae("bench", "train", "--images", "9000", "--json", temp.Combine("bench.json"));
        Assert.Equal(BadInput, bench.ExitCode);
        Assert.Contains("--images", bench.Error);
        Assert.Contains("8775", bench.Error);
        Assert.False(File.Exists(temp.Combine("bench.json")));
    }
}
