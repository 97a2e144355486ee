using System.CommandLine;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.MLNet;
using Deae.MLNet.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.Cli.Commands;

/// <summary>
/// <c>deae bench transform</c>: images per second through an ML.NET pipeline (LoadImages → ResizeImages →
/// ExtractPixels → DEAE latents, materialised) against a batched TorchSharp encode of the same images.
/// </summary>
internal static class BenchTransformCommand
{
    public static Command Create()
    {
        var output = new BenchJsonOutput();
        var images = new Option<int>("--images") { Description = "Images encoded per measurement.", DefaultValueFactory = _ => 1000 };
        var command = new Command("transform", "ML.NET pipeline throughput vs batched encoding, side by side.") { output.Json, output.Overwrite, images };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var (jsonPath, replace) = output.Target(parse);
            TorchRuntime.EnsureLoaded();
            string folder = Path.Combine(Path.GetTempPath(), $"deae-bench-{Guid.NewGuid():N}");
            try
            {
                var options = DemoConfiguration.Data();
                options.MaxImages = parse.GetValue(images);
                var data = FontsGenerator.Generate(options);
                string manifest = DatasetWriter.Write(data, folder, "fonts", overwrite: false);
                BenchCommands.WriteResult(Run(data, manifest), jsonPath, replace);
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Dictionary<string, object> Run(ImageDataset data, string manifest)
    {
        var ml = new MLContext(seed: 1);
        var rows = ManifestLoader.Load(ml, manifest);
        var loading = ml.Transforms.LoadImages("Image", ManifestLoader.ImageFolder(manifest), "image")
            .Append(ml.Transforms.ResizeImages("Image", data.Width, data.Height))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"));
        var trainer = DemoConfiguration.TrainerOptions(steps: 5);
        var estimator = new DeaeEstimator(ml, new DeaeEstimator.Options { ImageColumnName = "Pixels", AttributeColumnNames = [.. FontsGenerator.AttributeNames], Trainer = trainer });
        var model = loading.Append(estimator).Fit(rows);
        var deae = (DeaeTransformer)model.LastTransformer;
        var bytes = Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToList();

        var (pipeline, batched) = BenchCommands.SideBySide(
            data.Count,
            () => _ = model.Transform(rows).GetColumn<VBuffer<float>>("Latent").Count(),
            () => _ = deae.Encode(bytes));
        return new Dictionary<string, object>
        {
            ["images"] = data.Count,
            ["configuration"] = trainer.Architecture.ToString(),
            ["pipeline_images_per_second"] = Math.Round(pipeline, 1),
            ["batched_images_per_second"] = Math.Round(batched, 1),
            ["pipeline_vs_batched_ratio"] = Math.Round(pipeline / batched, 3),
        };
    }
}
