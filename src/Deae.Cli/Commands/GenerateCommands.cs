using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Data.Sprites;

namespace Deae.Cli.Commands;

/// <summary><c>deae generate fonts|sprites</c>: render the project's data sets to PNG files and a manifest.</summary>
internal static class GenerateCommands
{
    public static Command Create()
    {
        var command = new Command("generate", "Render a data set (PNG images, manifest.csv, dataset.json).");
        command.Add(CreateFonts());
        command.Add(CreateSprites());
        return command;
    }

    private static Command CreateFonts()
    {
        var output = new Option<string>("--output", "-o") { Description = "Output folder (must not exist unless --overwrite).", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output folder." };
        var preset = new Option<string?>("--preset") { Description = $"A named experiment set: {string.Join(", ", FontsPresets.Names)}. Writes one sub-folder per part." };
        var letters = new Option<string?>("--letters") { Description = "Letters to render, e.g. ABCabc (default: A–Z, a–z)." };
        var sizes = new Option<string[]?>("--sizes") { Description = "Sizes: small,medium,large (default: all).", AllowMultipleArgumentsPerToken = true };
        var fontColors = new Option<string[]?>("--font-colors") { Description = "Font colours, e.g. red,blue (default: all ten).", AllowMultipleArgumentsPerToken = true };
        var backgroundColors = new Option<string[]?>("--background-colors") { Description = "Background colours (default: all ten).", AllowMultipleArgumentsPerToken = true };
        var fontFolder = new Option<string?>("--font-folder") { Description = "Folder of .ttf/.otf faces (default: the system's fonts)." };
        var fonts = new Option<string[]?>("--fonts") { Description = "Face names to use (file names without extension).", AllowMultipleArgumentsPerToken = true };
        var maxFonts = new Option<int?>("--max-fonts") { Description = "Use at most this many faces (the first by name)." };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var maxImages = new Option<int?>("--max-images") { Description = "Keep a seeded random subset of at most this many images." };
        var seed = new Option<int>("--seed") { Description = "Seed of subsets and splits.", DefaultValueFactory = _ => 1 };
        var command = new Command("fonts", "Render the Fonts-like set: letter, size, font colour, background colour, font.")
        {
            output, overwrite, preset, letters, sizes, fontColors, backgroundColors, fontFolder, fonts, maxFonts, imageSize, maxImages, seed,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            DatasetWriter.EnsureWritable(folder, replace);
            if (parse.GetValue(preset) is string presetName)
            {
                CliRunner.RefuseUnused(parse, "--preset (its parts fix the letters, sizes, colours, faces and counts)", letters, sizes, fontColors, backgroundColors, fonts, maxImages);
                var parts = FontsPresets.Build(presetName, parse.GetValue(fontFolder), parse.GetValue(maxFonts), parse.GetValue(seed));
                int size = parse.GetValue(imageSize);
                var manifests = DatasetWriter.WriteParts(
                    parts.Select(p => (p.Name, (Func<ImageDataset>)(() => CliRunner.WithProgress($"{p.Name} ({p.Samples.Count} images)", p.Samples.Count, progress => FontsGenerator.Render(p.Samples, size, progress: progress))))).ToList(),
                    folder, "fonts", replace);
                foreach (var (part, manifest) in parts.Zip(manifests))
                {
                    Console.WriteLine($"{part.Name,-7} {part.Samples.Count,7} images  {part.Description}  -> {manifest}");
                }

                return 0;
            }

            var options = new FontsOptions
            {
                FontFolder = parse.GetValue(fontFolder),
                Fonts = CliRunner.SplitList(parse.GetValue(fonts)),
                MaxFonts = parse.GetValue(maxFonts),
                ImageSize = parse.GetValue(imageSize),
                MaxImages = parse.GetValue(maxImages),
                Seed = parse.GetValue(seed),
            };
            options.Letters = parse.GetValue(letters) ?? options.Letters;
            options.Sizes = CliRunner.SplitList(parse.GetValue(sizes)) ?? options.Sizes;
            options.FontColors = CliRunner.SplitList(parse.GetValue(fontColors)) ?? options.FontColors;
            options.BackgroundColors = CliRunner.SplitList(parse.GetValue(backgroundColors)) ?? options.BackgroundColors;
            var samples = FontsGenerator.Plan(options);
            var data = CliRunner.WithProgress("rendering", samples.Count, progress => FontsGenerator.Render(samples, options.ImageSize, progress: progress));
            string written = CliRunner.WithProgress("writing PNGs", data.Count, progress => DatasetWriter.Write(data, folder, "fonts", replace, progress));
            Console.WriteLine($"{data.Count} images -> {written}");
            return 0;
        }));
        return command;
    }

    private static Command CreateSprites()
    {
        var output = new Option<string>("--output", "-o") { Description = "Output folder (must not exist unless --overwrite).", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output folder." };
        var shapes = new Option<string[]?>("--shapes") { Description = "Shapes: square,ellipse,heart (default: all).", AllowMultipleArgumentsPerToken = true };
        var scales = new Option<int>("--scales") { Description = "Number of scales in [0.5, 1].", DefaultValueFactory = _ => 6 };
        var orientations = new Option<int>("--orientations") { Description = "Number of orientations in [0, 2π).", DefaultValueFactory = _ => 40 };
        var positions = new Option<int>("--positions") { Description = "Number of x and of y positions in [0, 1].", DefaultValueFactory = _ => 32 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 64 };
        var maxImages = new Option<int?>("--max-images") { Description = "Seeded random subset size (default 10000)." };
        var full = new Option<bool>("--full") { Description = "Render the full factorial set instead of a subset." };
        var seed = new Option<int>("--seed") { Description = "Seed of the subset.", DefaultValueFactory = _ => 1 };
        var command = new Command("sprites", "Render the dSprites-like set: shape, scale, orientation, x, y (64×64, one channel).")
        {
            output, overwrite, shapes, scales, orientations, positions, imageSize, maxImages, full, seed,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            DatasetWriter.EnsureWritable(folder, replace);
            var options = new SpritesOptions
            {
                ScaleCount = parse.GetValue(scales),
                OrientationCount = parse.GetValue(orientations),
                PositionCount = parse.GetValue(positions),
                ImageSize = parse.GetValue(imageSize),
                Seed = parse.GetValue(seed),
            };
            options.Shapes = CliRunner.SplitList(parse.GetValue(shapes)) ?? options.Shapes;
            if (parse.GetValue(full))
            {
                CliRunner.RefuseUnused(parse, "--full (every image of the factorial set)", maxImages);
            }

            options.MaxImages = parse.GetValue(full) ? null : parse.GetValue(maxImages) ?? options.MaxImages;
            long total = SpritesGenerator.Attributes(options).Aggregate(1L, (n, a) => n * a.Values.Count);
            int count = (int)Math.Min(total, options.MaxImages ?? total);
            var data = CliRunner.WithProgress("rendering", count, progress => SpritesGenerator.Generate(options, progress));
            string written = CliRunner.WithProgress("writing PNGs", data.Count, progress => DatasetWriter.Write(data, folder, "sprites", replace, progress));
            Console.WriteLine($"{data.Count} images -> {written}");
            return 0;
        }));
        return command;
    }
}
