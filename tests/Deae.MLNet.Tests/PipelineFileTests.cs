using System.IO.Compression;
using Deae.MLNet.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Tests;

public class PipelineFileTests
{
    private static List<float[]> Latents(IDataView view) =>
        view.GetColumn<VBuffer<float>>("Latent").Select(v => v.DenseValues().ToArray()).ToList();

    [Fact]
    public void APipelineIsSavedAtomicallyLoadsIdenticallyAndDamagedZipsAreNamed()
    {
        using var temp = new TempFolder();
        var (ml, pixels, loading) = DeaeEstimatorTests.LoadTiny(temp);
        var rows = ManifestLoader.Load(ml, temp.Combine("tiny", "manifest.csv"));
        using var deae = new DeaeEstimator(ml, DeaeEstimatorTests.TinyOptions(2)).Fit(pixels);
        var pipeline = new TransformerChain<ITransformer>(loading, deae);
        string zip = temp.Combine("pipeline.zip");
        PipelineFile.Save(ml, pipeline, rows.Schema, zip);
        Assert.Equal([zip], Directory.GetFiles(temp.Path, "*.zip")); // no temporary file left behind

        // Nothing is overwritten unless asked.
        byte[] saved = File.ReadAllBytes(zip);
        Assert.Contains("already exists", Assert.Throws<IOException>(() => PipelineFile.Save(ml, pipeline, rows.Schema, zip)).Message);
        Assert.Equal(saved, File.ReadAllBytes(zip));

        var fresh = new MLContext(seed: 3);
        var loaded = PipelineFile.Load(fresh, zip, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("image"));
        Assert.Equal(Latents(pipeline.Transform(rows)), Latents(loaded.Transform(ManifestLoader.Load(fresh, temp.Combine("tiny", "manifest.csv")))));

        string missing = temp.Combine("absent.zip");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => PipelineFile.Load(fresh, missing, out _)).Message);

        string truncated = temp.Combine("truncated.zip");
        File.WriteAllBytes(truncated, saved.AsSpan(0, saved.Length * 2 / 3).ToArray());
        var cut = Assert.Throws<InvalidDataException>(() => PipelineFile.Load(fresh, truncated, out _)).Message;
        Assert.Contains(truncated, cut);
        Assert.Contains("truncated or corrupted", cut);

        // A zip that is intact as a zip, and whose ML.NET framing is intact, but whose ONNX bytes are garbage.
        string damaged = temp.Combine("damaged-onnx.zip");
        File.Copy(zip, damaged);
        using (var archive = ZipFile.Open(damaged, ZipArchiveMode.Update))
        {
            bool replaced = false;
            foreach (var entry in archive.Entries.ToList())
            {
                byte[] content;
                using (var read = entry.Open())
                using (var copy = new MemoryStream())
                {
                    read.CopyTo(copy);
                    content = copy.ToArray();
                }

                int at = content.AsSpan().IndexOf(deae.EncoderOnnx);
                if (at < 0)
                {
                    continue;
                }

                content.AsSpan(at, deae.EncoderOnnx.Length).Fill(0xFF);
                string name = entry.FullName;
                entry.Delete();
                using (var write = archive.CreateEntry(name).Open())
                {
                    write.Write(content);
                }

                replaced = true;
                break;
            }

            Assert.True(replaced, "the encoder's ONNX bytes are stored in the zip");
        }

        var broken = Assert.Throws<InvalidDataException>(() => PipelineFile.Load(fresh, damaged, out _)).Message;
        Assert.Contains(damaged, broken);
        Assert.True(broken.Contains("ONNX", StringComparison.Ordinal), broken);
    }
}
