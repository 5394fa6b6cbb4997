using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Sawt.Inference.Synthetic;

/// <summary>
/// Small helper over the ONNX protobuf types for writing graphs in code: inputs, outputs, initializers,
/// nodes with generated output names. Large initializers can go to an external-data sidecar, as the
/// real exports do for graphs over the 2 GB protobuf limit.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private const int Opset = 17;
    private readonly GraphProto _graph;
    private readonly List<(TensorProto Tensor, byte[] Data)> _large = [];
    private int _counter;

    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Initializers at or above this many bytes are written to the sidecar when one is used.</summary>
    public long ExternalDataThresholdBytes { get; init; } = 1024;

    /// <summary>Model metadata (ONNX <c>metadata_props</c>) written with the model.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, type, dims));

    public string Floats(string name, float[] data, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), dims);

    public string Longs(string name, long[] data, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), dims);

    /// <summary>A scalar or 1-D int64 constant with a generated name.</summary>
    public string LongConst(params long[] values) => Longs(NextName("c"), values, values.Length);

    public string LongScalar(long value) => Longs(NextName("c"), [value]);

    public string FloatScalar(float value) => Floats(NextName("c"), [value]);

    public string Node(string op, string[] inputs, params AttributeProto[] attributes) =>
        Node(op, inputs, 1, attributes)[0];

    public string[] Node(string op, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = NextName(op) };
        node.Input.AddRange(inputs);
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = NextName(op.ToLowerInvariant());
            node.Output.Add(outputs[i]);
        }

        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Copies <paramref name="source"/> to a graph output called <paramref name="outputName"/>.</summary>
    public void Alias(string source, string outputName)
    {
        var node = new NodeProto { OpType = "Identity", Name = NextName("Identity") };
        node.Input.Add(source);
        node.Output.Add(outputName);
        _graph.Node.Add(node);
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>
    /// Writes the model to <paramref name="path"/>. With <paramref name="useExternalData"/> the large
    /// initializers go to <c>{file}.onnx_data</c> beside it (the layout of the real exports).
    /// </summary>
    public void Save(string path, bool useExternalData, string producer)
    {
        if (useExternalData && _large.Count > 0)
        {
            var sidecarName = Path.GetFileName(path) + "_data";
            using var sidecar = File.Create(Path.Combine(Path.GetDirectoryName(path)!, sidecarName));
            foreach (var (tensor, data) in _large)
            {
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.RawData = ByteString.Empty;
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = sidecarName });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = sidecar.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                sidecar.Write(data);
            }
        }
        else
        {
            foreach (var (tensor, data) in _large)
            {
                tensor.RawData = ByteString.CopyFrom(data);
            }
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (var (key, value) in Metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        using var stream = File.Create(path);
        model.WriteTo(stream);
    }

    private string AddInitializer(string name, TensorProto.Types.DataType type, byte[] data, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        if (data.Length >= ExternalDataThresholdBytes)
        {
            _large.Add((tensor, data));
        }
        else
        {
            tensor.RawData = ByteString.CopyFrom(data);
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    private string NextName(string prefix) => $"{prefix}_{_counter++}";

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbolic => new TensorShapeProto.Types.Dimension { DimParam = symbolic },
                int fixedSize => new TensorShapeProto.Types.Dimension { DimValue = fixedSize },
                long fixedSize => new TensorShapeProto.Types.Dimension { DimValue = fixedSize },
                _ => throw new ArgumentException($"Unsupported dimension {dim}", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
