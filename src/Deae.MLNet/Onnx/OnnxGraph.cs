using System.Runtime.InteropServices;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Deae.MLNet.Onnx;

/// <summary>Accumulates the nodes and weights of one ONNX graph; each op returns its output's name.</summary>
internal sealed class OnnxGraph
{
    private readonly List<ByteString> _nodes = [];
    private readonly List<ByteString> _initializers = [];
    private readonly IReadOnlyDictionary<string, Tensor> _weights;
    private int _counter;

    /// <param name="weights">The network's state dictionary; weights are looked up by its keys.</param>
    public OnnxGraph(IReadOnlyDictionary<string, Tensor> weights) => _weights = weights;

    /// <summary>Adds the state-dictionary tensor <paramref name="key"/> as an initializer of the same name.</summary>
    public string Weight(string key)
    {
        if (!_weights.TryGetValue(key, out var tensor))
        {
            throw new InvalidOperationException($"The network has no weight '{key}' to export.");
        }

        var values = tensor.detach().contiguous().cpu().data<float>().ToArray();
        _initializers.Add(OnnxProto.Tensor(key, tensor.shape, OnnxProto.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return key;
    }

    /// <summary>A float constant (scalar when <paramref name="values"/> has one value).</summary>
    public string FloatConstant(params float[] values)
    {
        string name = $"const_{_counter++}";
        _initializers.Add(OnnxProto.Tensor(name, values.Length == 1 ? [] : [values.Length], OnnxProto.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>An int64 vector constant (shapes, slice bounds).</summary>
    public string IntConstant(params long[] values)
    {
        string name = $"const_{_counter++}";
        _initializers.Add(OnnxProto.Tensor(name, [values.Length], OnnxProto.Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>Adds a node; returns its (generated or given) output name.</summary>
    public string Op(string opType, string[] inputs, ByteString[]? attributes = null, string? output = null)
    {
        output ??= $"{opType.ToLowerInvariant()}_{_counter++}";
        _nodes.Add(OnnxProto.Node(opType, $"{opType}_{_counter++}", inputs, [output], attributes ?? []));
        return output;
    }

    public string Conv(string input, string weightKey, int stride, int padding) =>
        Op("Conv", [input, Weight(weightKey)], [OnnxProto.IntsAttribute("strides", [stride, stride]), OnnxProto.IntsAttribute("pads", [padding, padding, padding, padding])]);

    public string ConvTranspose(string input, string weightKey, int stride, int padding) =>
        Op("ConvTranspose", [input, Weight(weightKey)], [OnnxProto.IntsAttribute("strides", [stride, stride]), OnnxProto.IntsAttribute("pads", [padding, padding, padding, padding])]);

    /// <summary>InstanceNormalization with TorchSharp's default epsilon (1e-5).</summary>
    public string InstanceNorm(string input, string normKey) =>
        Op("InstanceNormalization", [input, Weight($"{normKey}.weight"), Weight($"{normKey}.bias")], [OnnxProto.FloatAttribute("epsilon", 1e-5f)]);

    /// <summary>y = x Wᵀ + b, as torch's Linear.</summary>
    public string Linear(string input, string key) =>
        Op("Gemm", [input, Weight($"{key}.weight"), Weight($"{key}.bias")], [OnnxProto.IntAttribute("transB", 1)]);

    public string Relu(string input) => Op("Relu", [input]);

    /// <summary>The model bytes with the given inputs and outputs.</summary>
    public byte[] ToModel(string name, IEnumerable<ByteString> inputs, IEnumerable<ByteString> outputs) =>
        OnnxProto.Model(name, _nodes, _initializers, inputs, outputs, opset: 17);
}
