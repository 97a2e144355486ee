using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Exploration;
using Deae.MLNet.Model;

namespace Deae.Cli.Commands;

/// <summary><c>deae augment</c>: new labelled images from a data set by recombining and interpolating attribute chunks.</summary>
internal static class AugmentCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file.", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "The (small) labelled data set to augment.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the new images, manifest.csv and provenance.csv.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing folder." };
        var defaults = new AugmentationOptions();
        var count = new Option<int>("--count", "-n") { Description = "Images to make.", DefaultValueFactory = _ => defaults.Count };
        var interpolation = new Option<double>("--interpolation") { Description = "Probability that an attribute is a mix of two seen values.", DefaultValueFactory = _ => defaults.Interpolation };
        var seenOnly = new Option<string[]>("--seen-only")
        {
            Description = "Attributes never mixed (each new image shows one of their seen values, so their labels are exact), e.g. letter.",
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("augment", "Make new labelled images by attribute recombination and interpolation; records where each value came from.") { model, data, output, overwrite, count, interpolation, seenOnly, seed };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            if (parse.GetValue(count) < 1 || !(parse.GetValue(interpolation) is >= 0 and <= 1))
            {
                throw new ArgumentException($"--count ({parse.GetValue(count)}) must be at least 1 and --interpolation ({parse.GetValue(interpolation)}) a probability in [0, 1].");
            }

            DatasetWriter.EnsureWritable(folder, replace);
            using var loaded = DeaeModel.Load(parse.GetValue(model)!, "cpu");
            var seen = CliRunner.SplitList(parse.GetValue(seenOnly)) ?? [];
            if (seen.FirstOrDefault(a => !loaded.Layout.Attributes.Contains(a)) is string unknown)
            {
                throw new ArgumentException($"--seen-only '{unknown}' is not one of the model's chunks ({string.Join(", ", loaded.Layout.Attributes)}).");
            }

            var images = CliRunner.ReadFor(loaded, parse.GetValue(data)!);
            var options = new AugmentationOptions
            {
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                Interpolation = parse.GetValue(interpolation),
                SeenValuesOnly = [.. seen],
            };
            var (augmented, provenance) = Augmenter.Generate(loaded, images, options);
            string manifest = Augmenter.Write(augmented, provenance, folder, replace);
            Console.WriteLine($"{augmented.Count} images -> {manifest} (provenance.csv beside it: each attribute's source values and weights)");
            return 0;
        }));
        return command;
    }
}
