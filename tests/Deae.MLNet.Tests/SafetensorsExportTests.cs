using System.Buffers.Binary;
using System.Text.Json;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Deae.MLNet.Training;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

public class SafetensorsExportTests
{
    [Fact]
    public void StateDictionaryNamingHoldsEveryWeightUnderItsOwnName()
    {
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(1));
        string path = temp.Combine("tiny.safetensors");
        model.ExportSafetensors(path, overwrite: false, SafetensorsNaming.StateDictionary);
        Assert.Throws<IOException>(() => model.ExportSafetensors(path, overwrite: false, SafetensorsNaming.StateDictionary));

        using var scope = NewDisposeScope();
        var file = ReadSafetensors(path);
        var state = model.Network.state_dict();
        Assert.Equal(state.Keys.Order(), file.Keys.Order());
        Assert.Contains("encoder.features.stem.weight", file.Keys);
        foreach (var (name, tensor) in state)
        {
            Assert.Equal(tensor.shape, file[name].shape);
            Assert.True(tensor.allclose(file[name], rtol: 0, atol: 0), name);
        }
    }

    [Fact]
    public void ReferenceNamingRunsTheReferenceForwardPassToTheModelsOutput()
    {
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(2));
        string path = temp.Combine("reference.safetensors");
        model.ExportSafetensors(path, overwrite: false);
        Assert.Throws<IOException>(() => model.ExportSafetensors(path, overwrite: false));

        using var scope = NewDisposeScope();
        var file = ReadSafetensors(path);
        var arch = model.Architecture;

        // Generator_fc.forward, written from model_share.py with nothing but the file's names:
        // encoder → view → fc_encoder → fc_decoder → view → decoder.
        manual_seed(3);
        var x = rand(4, 3, arch.ImageSize, arch.ImageSize).Times(2).Plus(-1);
        int encoderLayers = 3 + (3 * arch.Stages) + arch.ResidualBlocks;
        int decoderLayers = arch.ResidualBlocks + (3 * arch.Stages) + 2; // + head conv + tanh
        var features = Sequential(file, "encoder", encoderLayers, x, transposed: false, endsInTanh: false);
        var z = Sequential(file, "fc_encoder", 3, features.view(4, -1), transposed: false, endsInTanh: false);
        var map = Sequential(file, "fc_decoder", 3, z, transposed: false, endsInTanh: false)
            .view(4, arch.Widths()[^1], arch.FeatureSize, arch.FeatureSize);
        var image = Sequential(file, "decoder", decoderLayers, map, transposed: true, endsInTanh: true);

        using var noGrad = no_grad();
        var expectedZ = model.Network.Encoder.forward(x);
        var expectedImage = model.Network.Decoder.forward(expectedZ);
        Assert.True(z.allclose(expectedZ, rtol: 1e-4, atol: 1e-5), $"z differs by {(z - expectedZ).abs().max().item<float>()}");
        Assert.True(image.allclose(expectedImage, rtol: 1e-4, atol: 1e-5), $"image differs by {(image - expectedImage).abs().max().item<float>()}");

        // Every alias of a shared layer carries the same weights, as PyTorch's state dict of that class does.
        Assert.True(file["main.0.weight"].allclose(file["start_part.0.weight"], rtol: 0, atol: 0));
        Assert.True(file["main.0.weight"].allclose(file["eli_pose_part.0.weight"], rtol: 0, atol: 0));
        Assert.True(file["decoder.0.main.0.weight"].allclose(file["bottlen_decoder_part.0.main.0.weight"], rtol: 0, atol: 0));
        Assert.Equal(ScalarType.Int64, file["main.1.num_batches_tracked"].dtype);
        Assert.Equal(0f, file["main.1.running_mean"].abs().sum().item<float>());
    }

    [SlowFact]
    public void ReferenceNetworksGetEveryKeyOfTheReferenceClassesStateDict()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        // Generator_fc(nc=3, conv_dim=64, repeat_num=1, z_dim=100), counted from model_share.py: every
        // Sequential lists its layers again (start_part 6 keys, down_part 24, eli_pose_part 30,
        // bottlen_encoder_part 12, encoder 42, fc_encoder 4, fc_decoder 4, bottlen_decoder_part 12,
        // up_part 25, decoder 37, main 79).
        using (var network = new DeaeNetwork(DeaeArchitecture.Reference128(), variational: false))
        {
            var names = ReferenceStateDict.Build(network, DeaeArchitecture.Reference128());
            Assert.Equal(275, names.Count);
            Assert.Equal([64L, 3, 7, 7], names["main.0.weight"].shape);
            Assert.Equal([256L, 256, 4, 4], names["eli_pose_part.12.weight"].shape);
            Assert.Equal([256L], names["encoder.15.main.4.running_var"].shape);
            Assert.Equal([4096L, 16384], names["fc_encoder.0.weight"].shape);
            Assert.Equal([100L, 4096], names["fc_encoder.2.weight"].shape);
            Assert.Equal([16384L, 4096], names["fc_decoder.2.weight"].shape);
            Assert.Equal([256L, 256, 4, 4], names["main.17.weight"].shape); // first ConvTranspose2d
            Assert.Equal([128L, 64, 4, 4], names["decoder.10.weight"].shape); // last ConvTranspose2d: in 128, out 64
            Assert.Equal([3L, 64, 7, 7], names["main.29.weight"].shape);
            Assert.Equal([3L, 64, 7, 7], names["up_part.12.weight"].shape);
            Assert.DoesNotContain("main.30.weight", names.Keys); // nn.Tanh()
        }

        // Generator_fc_dsprites(nc=1, conv_dim=64, repeat_num=1, z_dim=10): same keys, 4×4 map, no tanh.
        using (var sprites = new DeaeNetwork(DeaeArchitecture.ReferenceSprites(), variational: false))
        {
            var names = ReferenceStateDict.Build(sprites, DeaeArchitecture.ReferenceSprites());
            Assert.Equal(275, names.Count);
            Assert.Equal([512L, 4096], names["fc_encoder.0.weight"].shape);
            Assert.Equal([4096L, 512], names["fc_decoder.2.weight"].shape);
            Assert.Equal([1L, 64, 7, 7], names["decoder.13.weight"].shape);
        }
    }

    [Fact]
    public void BetaVaeKeepsItsLogVarianceHeadUnderAnExtraName()
    {
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(1, ModelKind.BetaVae));
        string path = temp.Combine("beta.safetensors");
        model.ExportSafetensors(path, overwrite: false);
        using var scope = NewDisposeScope();
        var file = ReadSafetensors(path);
        Assert.Equal([model.Architecture.LatentDimension, (long)model.Architecture.HiddenSize], file["fc_logvar.weight"].shape);
        Assert.Contains("fc_encoder.2.weight", file.Keys);
    }

    /// <summary>One nn.Sequential of the reference class, run from the file's weights by index.</summary>
    private static Tensor Sequential(Dictionary<string, Tensor> file, string prefix, int layers, Tensor x, bool transposed, bool endsInTanh)
    {
        for (int i = 0; i < layers; i++)
        {
            string name = $"{prefix}.{i}";
            if (file.ContainsKey($"{name}.main.0.weight"))
            {
                // ResidualBlock: x + main(x), main = conv3×3, IN, ReLU, conv3×3, IN.
                x = x + Sequential(file, $"{name}.main", 5, x, transposed: false, endsInTanh: false);
            }
            else if (file.ContainsKey($"{name}.running_mean"))
            {
                var mean = x.mean([2, 3], keepdim: true);
                var variance = (x - mean).square().mean([2, 3], keepdim: true);
                x = ((x - mean) / (variance + 1e-5).sqrt() * file[$"{name}.weight"].view(1, -1, 1, 1)) + file[$"{name}.bias"].view(1, -1, 1, 1);
            }
            else if (file.TryGetValue($"{name}.weight", out var weight))
            {
                x = weight.dim() == 2 ? nn.functional.linear(x, weight, file[$"{name}.bias"])
                    : weight.shape[2] == 4 && transposed ? nn.functional.conv_transpose2d(x, weight, strides: [2, 2], padding: [1, 1])
                    : weight.shape[2] == 4 ? nn.functional.conv2d(x, weight, strides: [2, 2], padding: [1, 1])
                    : nn.functional.conv2d(x, weight, padding: [weight.shape[2] / 2, weight.shape[2] / 2]);
            }
            else
            {
                x = endsInTanh && i == layers - 1 ? x.tanh() : x.relu();
            }
        }

        return x;
    }

    /// <summary>Reads a safetensors file the way any reader does: u64 header length, JSON header, raw little-endian data.</summary>
    private static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        int dataStart = 8 + (int)headerLength;
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            int[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt32()).ToArray();
            var bytes = file.AsSpan(dataStart + offsets[0], offsets[1] - offsets[0]);
            result[entry.Name] = entry.Value.GetProperty("dtype").GetString() switch
            {
                "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray()).reshape(shape),
                "I64" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes).ToArray()).reshape(shape),
                var other => throw new InvalidDataException($"Unexpected dtype {other} for {entry.Name}."),
            };
        }

        return result;
    }
}
