using Deae.MLNet.IO;
using Deae.MLNet.Model;
using static TorchSharp.torch;

namespace Deae.MLNet.Onnx;

/// <summary>
/// Exports a trained model's encoder and decoder as ONNX graphs (opset 17: Conv, ConvTranspose,
/// InstanceNormalization, Relu, Add, Mul, Gemm, Flatten, Reshape, Tanh/Sigmoid, Slice). The graphs take
/// and give pixels in 0–255 as ML.NET's ExtractPixels does, so normalisation travels with the model.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The encoder's input: pixels [N, C, H, W] in 0–255 (planar, as ExtractPixels gives them).</summary>
    public const string PixelsInput = "pixels";

    /// <summary>The encoder's full-latent output [N, z], and the decoder's input.</summary>
    public const string LatentName = "latent";

    /// <summary>The decoder's output: pixels [N, C, H, W] in 0–255.</summary>
    public const string PixelsOutput = "pixels_out";

    /// <summary>The default prefix of the per-attribute chunk outputs.</summary>
    public const string ChunkPrefix = "latent_";

    /// <summary>The encoder output holding attribute <paramref name="attribute"/>'s chunk [N, size].</summary>
    public static string ChunkOutput(string attribute, string prefix = ChunkPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix + attribute;
    }

    /// <summary>The encoder as ONNX bytes.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="batchSize">A fixed batch size, or null for a symbolic batch dimension.</param>
    /// <param name="inputName">The pixels input's name.</param>
    /// <param name="latentName">The full latent output's name.</param>
    /// <param name="chunkPrefix">Prefix of the per-attribute chunk outputs (prefix + attribute name).</param>
    public static byte[] Encoder(DeaeModel model, int? batchSize = null, string inputName = PixelsInput, string latentName = LatentName, string chunkPrefix = ChunkPrefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        using var scope = NewDisposeScope();
        var graph = new OnnxGraph(model.Network.state_dict());
        bool tanh = a.Output == DecoderOutput.Tanh;

        // Normalise exactly as PixelCodec does: tanh models see [-1, 1], logits models [0, 1].
        string x = graph.Op("Mul", [inputName, graph.FloatConstant(tanh ? 2f / 255f : 1f / 255f)]);
        if (tanh)
        {
            x = graph.Op("Add", [x, graph.FloatConstant(-1f)]);
        }

        x = graph.Relu(graph.InstanceNorm(graph.Conv(x, "encoder.features.stem.weight", 1, 3), "encoder.features.stem_norm"));
        for (int s = 0; s < a.Stages; s++)
        {
            x = graph.Relu(graph.InstanceNorm(graph.Conv(x, $"encoder.features.down{s}.weight", 2, 1), $"encoder.features.down{s}_norm"));
        }

        for (int r = 0; r < a.ResidualBlocks; r++)
        {
            x = Residual(graph, x, $"encoder.features.res{r}");
        }

        x = graph.Op("Flatten", [x], [OnnxProto.IntAttribute("axis", 1)]);
        x = graph.Relu(graph.Linear(x, "encoder.fc1"));
        string latent = graph.Op("Gemm", [x, graph.Weight("encoder.fc2.weight"), graph.Weight("encoder.fc2.bias")], [OnnxProto.IntAttribute("transB", 1)], latentName);

        long? batch = batchSize;
        var outputs = new List<Google.Protobuf.ByteString> { OnnxProto.FloatTensorInfo(latentName, [batch, a.LatentDimension]) };
        for (int k = 0; k < model.Layout.Count; k++)
        {
            string name = ChunkOutput(model.Layout.Attributes[k], chunkPrefix);
            int offset = model.Layout.Offset(k), size = model.Layout.Sizes[k];
            graph.Op("Slice", [latent, graph.IntConstant(offset), graph.IntConstant(offset + size), graph.IntConstant(1)], output: name);
            outputs.Add(OnnxProto.FloatTensorInfo(name, [batch, size]));
        }

        return graph.ToModel("deae_encoder", [OnnxProto.FloatTensorInfo(inputName, [batch, a.Channels, a.ImageSize, a.ImageSize])], outputs);
    }

    /// <summary>The decoder as ONNX bytes; <paramref name="batchSize"/> null gives a symbolic batch dimension.</summary>
    public static byte[] Decoder(DeaeModel model, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        using var scope = NewDisposeScope();
        var graph = new OnnxGraph(model.Network.state_dict());
        string x = graph.Relu(graph.Linear(LatentName, "decoder.fc1"));
        x = graph.Linear(x, "decoder.fc2");
        int[] widths = a.Widths();
        x = graph.Op("Reshape", [x, graph.IntConstant(-1, widths[^1], a.FeatureSize, a.FeatureSize)]);
        for (int r = 0; r < a.ResidualBlocks; r++)
        {
            x = Residual(graph, x, $"decoder.features.res{r}");
        }

        for (int s = 0; s < a.Stages; s++)
        {
            x = graph.Relu(graph.InstanceNorm(graph.ConvTranspose(x, $"decoder.features.up{s}.weight", 2, 1), $"decoder.features.up{s}_norm"));
        }

        x = graph.Conv(x, "decoder.features.head.weight", 1, 3);
        // Back to 0-255 pixels: tanh output (y + 1) * 127.5, logits sigmoid(y) * 255.
        x = a.Output == DecoderOutput.Tanh
            ? graph.Op("Mul", [graph.Op("Add", [graph.Op("Tanh", [x]), graph.FloatConstant(1f)]), graph.FloatConstant(127.5f)], output: PixelsOutput)
            : graph.Op("Mul", [graph.Op("Sigmoid", [x]), graph.FloatConstant(255f)], output: PixelsOutput);

        long? batch = batchSize;
        return graph.ToModel("deae_decoder", [OnnxProto.FloatTensorInfo(LatentName, [batch, a.LatentDimension])], [OnnxProto.FloatTensorInfo(PixelsOutput, [batch, a.Channels, a.ImageSize, a.ImageSize])]);
    }

    /// <summary>Writes encoder.onnx and decoder.onnx (symbolic batch) into <paramref name="folder"/>, atomically.</summary>
    /// <returns>The two files' paths.</returns>
    public static (string Encoder, string Decoder) Export(DeaeModel model, string folder, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string encoder = Path.Combine(folder, "encoder.onnx"), decoder = Path.Combine(folder, "decoder.onnx");
        foreach (string file in new[] { encoder, decoder })
        {
            if (File.Exists(file) && !overwrite)
            {
                throw new IOException($"'{Path.GetFullPath(file)}' already exists; pass --overwrite to replace it.");
            }
        }

        AtomicFile.WriteAllBytes(encoder, Encoder(model), overwrite);
        AtomicFile.WriteAllBytes(decoder, Decoder(model), overwrite);
        return (Path.GetFullPath(encoder), Path.GetFullPath(decoder));
    }

    private static string Residual(OnnxGraph graph, string input, string key)
    {
        string h = graph.Relu(graph.InstanceNorm(graph.Conv(input, $"{key}.conv1.weight", 1, 1), $"{key}.norm1"));
        h = graph.InstanceNorm(graph.Conv(h, $"{key}.conv2.weight", 1, 1), $"{key}.norm2");
        return graph.Op("Add", [h, input]);
    }
}
