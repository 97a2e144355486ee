using System.CommandLine;
using System.Globalization;
using Deae.MLNet.Data;
using Deae.MLNet.Exploration;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using Deae.MLNet.Visualization;

namespace Deae.Cli.Commands;

/// <summary><c>deae udv</c> and <c>deae synthesize</c>: fit UDVs and centres, and draw controlled edits.</summary>
internal static class ExploreCommands
{
    public static Command CreateUdv()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file.", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "Labelled data set (folder or manifest) to fit on.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Model file to write, with the UDVs and centres inside.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output file." };
        var attributes = new Option<string[]?>("--attributes") { Description = "Attributes to fit (default: all of the model's chunks; with --full-latent also attributes without a chunk).", AllowMultipleArgumentsPerToken = true };
        var quantile = new Option<double?>("--quantile") { Description = "Refit each SVM on the top/bottom fraction of scores (InterFaceGAN style)." };
        var clusters = new Option<int?>("--clusters") { Description = "KMeans k per attribute (default: the number of values the attribute shows)." };
        var fullLatent = new Option<bool>("--full-latent") { Description = "Fit on the full latent code instead of each attribute's chunk (edits may then move every chunk)." };
        var command = new Command("udv", "Fit unit direction vectors (LinearSvm), value centres and KMeans centres per attribute; saves them with the model.") { model, data, output, overwrite, attributes, quantile, clusters, fullLatent };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string path = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            CliRunner.EnsureFileWritable(path, replace);
            if (parse.GetValue(quantile) is double q && !UnitDirectionOptions.IsValidQuantile(q))
            {
                throw new ArgumentException($"--quantile {q.ToString(CultureInfo.InvariantCulture)}: the fraction of top and of bottom scores kept must be in (0, 0.5].");
            }

            using var loaded = DeaeModel.Load(parse.GetValue(model)!, "cpu");
            var fitted = CliRunner.SplitList(parse.GetValue(attributes));
            // On the full latent an attribute without a chunk can be fitted: its column is read too.
            var images = CliRunner.ReadFor(loaded, parse.GetValue(data)!, parse.GetValue(fullLatent) ? fitted : null);
            loaded.Explorer = LatentExplorer.Fit(loaded, images, new LatentExplorerOptions
            {
                Attributes = fitted,
                Directions = new UnitDirectionOptions { ScoreQuantile = parse.GetValue(quantile) },
                Clusters = parse.GetValue(clusters),
                FullLatent = parse.GetValue(fullLatent),
            });
            loaded.Save(path, replace);
            foreach (var (attribute, space) in loaded.Explorer.Attributes)
            {
                Console.WriteLine($"{attribute}: {space.Directions.Count} UDVs ({string.Join(", ", space.Directions.Keys)}), {space.Clusters.Count} KMeans centres{(space.FullLatent ? " (full latent)" : string.Empty)}");
            }

            Console.WriteLine($"model with UDVs -> {path}");
            return 0;
        }));
        return command;
    }

    public static Command CreateSynthesize()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file with UDVs (deae udv).", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "Images to edit (folder or manifest).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Grid PNG to write.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing file." };
        var attribute = new Option<string>("--attribute", "-a") { Description = "The attribute to edit.", Required = true };
        var target = new Option<string?>("--to") { Description = "Target value: move along its UDV, then jump to its centre." };
        var mine = new Option<string?>("--mine") { Description = "Combined UDVs to mine new values, e.g. blue:1,red:1,green:-1." };
        var steps = new Option<int>("--steps") { Description = "Images per trajectory.", DefaultValueFactory = _ => 6 };
        var stepSize = new Option<float>("--step-size") { Description = "Distance per step when mining.", DefaultValueFactory = _ => 1f };
        var count = new Option<int>("--images") { Description = "Images (rows) to edit.", DefaultValueFactory = _ => 8 };
        var conditional = new Option<bool>("--conditional") { Description = "Project out the other values' UDVs (keep them fixed)." };
        var interpolate = new Option<bool>("--interpolate") { Description = "Random interpolations of the attribute between each image and another image with another value of it: --steps mixes, then that image (needs no UDVs)." };
        var mode = new Option<InterpolationMode>("--interpolation") { Description = "With --interpolate: PerDimensionUniform (a weight per dimension, the research code) or Linear (one weight per image).", DefaultValueFactory = _ => InterpolationMode.PerDimensionUniform };
        var seed = new Option<int>("--seed") { Description = "Seed of --interpolate's partners and weights.", DefaultValueFactory = _ => 1 };
        var command = new Command("synthesize", "Edit one attribute of real images: move towards a value along its UDV (plus a jump to its centre), mine new values along combined UDVs, or interpolate it randomly towards another image; writes a grid PNG (one row per image).")
        {
            model, data, output, overwrite, attribute, target, mine, steps, stepSize, count, conditional, interpolate, mode, seed,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string path = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            CliRunner.EnsureFileWritable(path, replace);

            if (parse.GetValue(count) < 1 || parse.GetValue(steps) < 2)
            {
                throw new ArgumentException($"--images ({parse.GetValue(count)}) must be at least 1 and --steps ({parse.GetValue(steps)}) at least 2 (a trajectory has a start and an end).");
            }

            string name = parse.GetValue(attribute)!;
            string? to = parse.GetValue(target);
            string? combination = parse.GetValue(mine);
            bool interpolating = parse.GetValue(interpolate);
            if ((to is null ? 0 : 1) + (combination is null ? 0 : 1) + (interpolating ? 1 : 0) != 1)
            {
                throw new ArgumentException("Give exactly one of --to VALUE, --mine VALUE:WEIGHT,... and --interpolate.");
            }

            if (to is not null)
            {
                CliRunner.RefuseUnused(parse, "--to", stepSize, mode, seed);
            }
            else if (combination is not null)
            {
                CliRunner.RefuseUnused(parse, "--mine", conditional, mode, seed);
            }
            else
            {
                CliRunner.RefuseUnused(parse, "--interpolate", conditional, stepSize);
            }

            // Parsed before the model is loaded and the images encoded, so that a typo fails at once.
            var mined = combination is null ? null : ParseCombination(combination);

            using var loaded = DeaeModel.Load(parse.GetValue(model)!, "cpu");
            var explorer = loaded.Explorer;
            if (explorer is null && !interpolating)
            {
                throw new ArgumentException($"Model '{parse.GetValue(model)}' has no UDVs; run deae udv first.");
            }

            // The edited attribute may have no chunk (UDVs fitted on the full latent, or --interpolate's error).
            var images = CliRunner.ReadFor(loaded, parse.GetValue(data)!, [name]);
            int column = images.AttributeIndex(name);
            var candidates = Enumerable.Range(0, images.Count)
                .Where(i => to is null || images.GetValue(i, column) != to)
                .Select((i, n) => (i, n)).Where(p => p.n % Math.Max(1, images.Count / (parse.GetValue(count) * 4)) == 0).Select(p => p.i)
                .ToList();
            var candidateCodes = loaded.Encode(candidates.Select(i => images.GetPixels(i).ToArray()).ToList());
            // An image labelled otherwise whose code already sits nearest the target has nowhere to move: skip it.
            var kept = Enumerable.Range(0, candidates.Count)
                .Where(c => to is null || explorer!.NearestValue(loaded.Layout, candidateCodes[c], name) != to)
                .Take(parse.GetValue(count)).ToList();
            if (kept.Count == 0)
            {
                throw new ArgumentException($"--data: no image to edit (every one is '{to}' already, or encodes nearest to it).");
            }

            var picks = kept.Select(c => candidates[c]).ToList();
            var codes = kept.Select(c => candidateCodes[c]).ToList();
            var rows = new List<float[]>();
            int n = parse.GetValue(steps);
            // --interpolate: each row's partner (an image with another value) and weight seed, drawn in row order,
            // and the partners encoded in one batch.
            var partners = new List<int>();
            var weightSeeds = new List<int>();
            float[][] partnerCodes = [];
            if (interpolating)
            {
                var random = new Random(parse.GetValue(seed));
                var othersOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                foreach (int pick in picks)
                {
                    string own = images.GetValue(pick, column);
                    if (!othersOf.TryGetValue(own, out var others))
                    {
                        others = othersOf[own] = Enumerable.Range(0, images.Count).Where(i => images.GetValue(i, column) != own).ToList();
                    }

                    if (others.Count == 0)
                    {
                        throw new ArgumentException($"--data: every image has {name} '{own}'; there is nothing to interpolate towards.");
                    }

                    partners.Add(others[random.Next(others.Count)]);
                    weightSeeds.Add(random.Next());
                }

                partnerCodes = loaded.Encode(partners.Select(i => images.GetPixels(i).ToArray()).ToList());
            }

            for (int r = 0; r < codes.Count; r++)
            {
                var code = codes[r];
                if (to is not null)
                {
                    rows.AddRange(explorer!.MoveTowards(loaded.Layout, code, name, to, n, parse.GetValue(conditional)));
                    rows.Add(explorer.JumpToCentre(loaded.Layout, code, name, to));
                }
                else if (combination is not null)
                {
                    rows.AddRange(explorer!.Mine(loaded.Layout, code, name, mined!, n, parse.GetValue(stepSize)));
                }
                else
                {
                    rows.AddRange(AttributeInterpolation.Random(loaded.Layout, code, partnerCodes[r], name, n, parse.GetValue(mode), weightSeeds[r]));
                }
            }

            var decoded = loaded.Decode(rows);
            int perRow = combination is not null || interpolating ? n : n + 1;
            var grid = new List<byte[]>();
            for (int r = 0; r < picks.Count; r++)
            {
                grid.Add(images.GetPixels(picks[r]).ToArray());
                grid.AddRange(decoded.Skip(r * perRow).Take(perRow));
                if (interpolating)
                {
                    grid.Add(images.GetPixels(partners[r]).ToArray());
                }
            }

            int columns = 1 + perRow + (interpolating ? 1 : 0);
            ImageGrid.SavePng(grid, images.Width, images.Height, images.Channels, columns, path, replace, scale: Math.Max(1, 64 / images.Width));
            string shown = to is not null ? $"{n} steps towards '{to}' along its UDV and a jump to its centre"
                : combination is not null ? $"{n} steps along {combination}"
                : $"{n} random {parse.GetValue(mode)} interpolations of its {name} towards the image at the row's end";
            Console.WriteLine($"{path}: each row is a real image, then {shown}");
            return 0;
        }));
        return command;
    }

    private static List<(string Value, float Weight)> ParseCombination(string text)
    {
        var terms = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var pair = part.Split(':');
            return pair.Length == 2 && float.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float weight) && float.IsFinite(weight)
                ? (pair[0], weight)
                : throw new ArgumentException($"--mine: '{part}' is not VALUE:WEIGHT with a finite weight.");
        }).ToList();
        return terms.Count > 0 ? terms : throw new ArgumentException($"--mine '{text}' names no VALUE:WEIGHT.");
    }
}
