using Deae.MLNet.Model;
using Deae.MLNet.Onnx;
using Deae.MLNet.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

public class OnnxExportTests
{
    private static float[] Run(byte[] model, string input, float[] values, int[] shape, string output)
    {
        using var session = new InferenceSession(model);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(values, shape))]);
        return results.First(r => r.Name == output).AsTensor<float>().ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnnxRuntimeAgreesWithTorchSharp(bool binary)
    {
        var data = TrainerTests.Tiny();
        var options = TrainerTests.TinyOptions(2);
        options.Architecture.ResidualBlocks = 2;
        if (binary)
        {
            // A grey, logits model (as for dSprites-like images).
            data = Data.Sprites.SpritesGenerator.Generate(new Data.Sprites.SpritesOptions { ImageSize = 16, MaxImages = 64, PositionCount = 4 });
            options.Architecture.Channels = 1;
            options.Architecture.Output = DecoderOutput.Logits;
        }

        using var model = DeaeTrainer.Train(data, options);
        var random = new Random(5);
        int n = 4, c = model.Architecture.Channels, size = model.Architecture.ImageSize, z = model.Layout.Dimension;
        var images = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, size * size * c).Select(_ => (byte)random.Next(256)).ToArray()).ToList();

        // Encoder: ONNX takes planar 0-255 pixels; TorchSharp gets the same bytes through PixelCodec.
        var planar = new float[n * c * size * size];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < size * size; p++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    planar[(i * c * size * size) + (ch * size * size) + p] = images[i][(p * c) + ch];
                }
            }
        }

        byte[] encoder = OnnxExporter.Encoder(model);
        var onnxLatent = Run(encoder, OnnxExporter.PixelsInput, planar, [n, c, size, size], OnnxExporter.LatentName);
        var torchLatent = model.Encode(images).SelectMany(v => v).ToArray();
        Assert.Equal(torchLatent.Length, onnxLatent.Length);
        Assert.True(MaxDifference(torchLatent, onnxLatent) <= 1e-4, $"encoder differs by {MaxDifference(torchLatent, onnxLatent)}");

        // Each chunk output is the latent's slice for that attribute.
        int k = model.Layout.Count - 1;
        var chunk = Run(encoder, OnnxExporter.PixelsInput, planar, [n, c, size, size], OnnxExporter.ChunkOutput(model.Layout.Attributes[k]));
        var range = model.Layout.Range(k);
        Assert.Equal(Enumerable.Range(0, n).SelectMany(i => torchLatent.AsSpan(i * z, z)[range].ToArray()).ToArray(), chunk, new ToleranceComparer(1e-4f));

        // Decoder: compare in the network's own output space.
        var latents = Enumerable.Range(0, n * z).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var onnxPixels = Run(OnnxExporter.Decoder(model), OnnxExporter.LatentName, latents, [n, z], OnnxExporter.PixelsOutput);
        using var output = model.Decode(tensor(latents, [n, z]));
        var torchOut = (binary ? output.sigmoid() : output).contiguous().data<float>().ToArray();
        var onnxOut = onnxPixels.Select(p => binary ? p / 255f : (p / 127.5f) - 1f).ToArray();
        Assert.True(MaxDifference(torchOut, onnxOut) <= 1e-4, $"decoder differs by {MaxDifference(torchOut, onnxOut)}");
    }

    [Fact]
    public void ExportRefusesToOverwrite()
    {
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(1));
        var (encoder, decoder) = OnnxExporter.Export(model, temp.Path, overwrite: false);
        byte[] encoderBytes = File.ReadAllBytes(encoder), decoderBytes = File.ReadAllBytes(decoder);
        Assert.Equal(OnnxExporter.Encoder(model), encoderBytes);
        Assert.Equal(OnnxExporter.Decoder(model), decoderBytes);

        // Another model's export is refused without touching the files, and replaces them when asked.
        using var other = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(2));
        Assert.Throws<IOException>(() => OnnxExporter.Export(other, temp.Path, overwrite: false));
        Assert.Equal(encoderBytes, File.ReadAllBytes(encoder));
        Assert.Equal(decoderBytes, File.ReadAllBytes(decoder));
        OnnxExporter.Export(other, temp.Path, overwrite: true);
        Assert.Equal(OnnxExporter.Encoder(other), File.ReadAllBytes(encoder));
        Assert.NotEqual(encoderBytes, File.ReadAllBytes(encoder));
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
}
