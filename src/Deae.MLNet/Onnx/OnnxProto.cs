using Google.Protobuf;

namespace Deae.MLNet.Onnx;

/// <summary>
/// Writes the handful of ONNX protobuf messages this project exports (ModelProto, GraphProto,
/// NodeProto, TensorProto, ValueInfoProto, AttributeProto) with Google.Protobuf's wire-format writer.
/// Field numbers are those of onnx/onnx.proto; only the fields used here are written.
/// </summary>
internal static class OnnxProto
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1;

    /// <summary>TensorProto.DataType INT64.</summary>
    public const int Int64 = 7;

    /// <summary>A message: fields written in order by <paramref name="write"/>.</summary>
    public static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }

    public static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    public static void Int(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    public static void Embedded(CodedOutputStream o, int field, ByteString message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(message);
    }

    /// <summary>TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian values).</summary>
    public static ByteString Tensor(string name, long[] dims, int dataType, byte[] raw) => Message(o =>
    {
        foreach (long d in dims)
        {
            Int(o, 1, d);
        }

        Int(o, 2, dataType);
        String(o, 8, name);
        o.WriteTag(9, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(raw));
    });

    /// <summary>
    /// ValueInfoProto (name = 1, type = 2) of a float tensor. TypeProto.tensor_type = 1 { elem_type = 1,
    /// shape = 2 { dim = 1 { dim_value = 1 | dim_param = 2 } } }. A null dimension is the symbolic batch "N".
    /// </summary>
    public static ByteString FloatTensorInfo(string name, long?[] dims) => Message(o =>
    {
        String(o, 1, name);
        var shape = Message(s =>
        {
            foreach (long? d in dims)
            {
                Embedded(s, 1, Message(dim =>
                {
                    if (d is long value)
                    {
                        Int(dim, 1, value);
                    }
                    else
                    {
                        String(dim, 2, "N");
                    }
                }));
            }
        });
        var tensorType = Message(t =>
        {
            Int(t, 1, Float);
            Embedded(t, 2, shape);
        });
        Embedded(o, 2, Message(t => Embedded(t, 1, tensorType)));
    });

    /// <summary>AttributeProto with ints (name = 1, ints = 8, type = 20: INTS = 7).</summary>
    public static ByteString IntsAttribute(string name, long[] values) => Message(o =>
    {
        String(o, 1, name);
        foreach (long v in values)
        {
            Int(o, 8, v);
        }

        Int(o, 20, 7);
    });

    /// <summary>AttributeProto with one int (i = 3, type INT = 2).</summary>
    public static ByteString IntAttribute(string name, long value) => Message(o =>
    {
        String(o, 1, name);
        Int(o, 3, value);
        Int(o, 20, 2);
    });

    /// <summary>AttributeProto with one float (f = 2, fixed32; type FLOAT = 1).</summary>
    public static ByteString FloatAttribute(string name, float value) => Message(o =>
    {
        String(o, 1, name);
        o.WriteTag(2, WireFormat.WireType.Fixed32);
        o.WriteFloat(value);
        Int(o, 20, 1);
    });

    /// <summary>NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.</summary>
    public static ByteString Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<ByteString> attributes) => Message(o =>
    {
        foreach (string input in inputs)
        {
            String(o, 1, input);
        }

        foreach (string output in outputs)
        {
            String(o, 2, output);
        }

        String(o, 3, name);
        String(o, 4, opType);
        foreach (var attribute in attributes)
        {
            Embedded(o, 5, attribute);
        }
    });

    /// <summary>
    /// ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 { domain = 1, version = 2 }.
    /// GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
    /// </summary>
    public static byte[] Model(string graphName, IEnumerable<ByteString> nodes, IEnumerable<ByteString> initializers, IEnumerable<ByteString> inputs, IEnumerable<ByteString> outputs, long opset)
    {
        var graph = Message(g =>
        {
            foreach (var node in nodes)
            {
                Embedded(g, 1, node);
            }

            String(g, 2, graphName);
            foreach (var initializer in initializers)
            {
                Embedded(g, 5, initializer);
            }

            foreach (var input in inputs)
            {
                Embedded(g, 11, input);
            }

            foreach (var output in outputs)
            {
                Embedded(g, 12, output);
            }
        });
        return Message(m =>
        {
            Int(m, 1, 8); // IR version 8 (ONNX 1.10+), read by every current runtime
            String(m, 2, "Deae.MLNet");
            Embedded(m, 7, graph);
            Embedded(m, 8, Message(op =>
            {
                String(op, 1, "");
                Int(op, 2, opset);
            }));
        }).ToByteArray();
    }
}
