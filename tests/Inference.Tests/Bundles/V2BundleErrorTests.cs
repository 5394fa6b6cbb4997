using Google.Protobuf;
using Onnx;

namespace Sawt.Inference.Tests.Bundles;

/// <summary>A v2 bundle whose graphs do not fit the v2 contract is refused with an error naming the file and tensor.</summary>
[Trait("Category", "Unit")]
public sealed class V2BundleErrorTests(V2BundleFixture bundle)
{
    [Fact]
    public void Load_V2WithoutAttentionOutput_BundleTensorMissingNamingFileAndTensor()
    {
        var error = LoadDamaged(graph =>
        {
            // A consistent graph whose alignment output is called 'attention' instead.
            graph.Output.Single(o => o.Name == "attn_layers").Name = "attention";
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Output.Count; i++)
                {
                    if (node.Output[i] == "attn_layers")
                    {
                        node.Output[i] = "attention";
                    }
                }
            }
        });
        Assert.Equal(InferenceErrorCode.BundleTensorMissing, error.Code);
        Assert.Contains("language_model_v2.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'attn_layers'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_V2WithFloat32CfgWeight_BundleTensorMismatchNamingTensorAndType()
    {
        var error = LoadDamaged(graph =>
        {
            // A consistent graph that takes cfg_weight as f32 and casts it: loads fine, breaks the contract.
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == "cfg_weight")
                    {
                        node.Input[i] = "cfg_weight_as_f16";
                    }
                }
            }

            graph.Input.Single(i => i.Name == "cfg_weight").Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
            var cast = new NodeProto { OpType = "Cast", Name = "to_f16" };
            cast.Input.Add("cfg_weight");
            cast.Output.Add("cfg_weight_as_f16");
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float16 });
            graph.Node.Insert(0, cast);
        });
        Assert.Equal(InferenceErrorCode.BundleTensorMismatch, error.Code);
        Assert.Contains("language_model_v2.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cfg_weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Float16", error.Message, StringComparison.Ordinal);
    }

    private InferenceException LoadDamaged(Action<GraphProto> damage)
    {
        var copy = TinyBundleFixture.NewTempDirectory();
        try
        {
            foreach (var file in Directory.GetFiles(bundle.Directory, "*", SearchOption.AllDirectories))
            {
                var destination = Path.Combine(copy, Path.GetRelativePath(bundle.Directory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }

            var path = Path.Combine(copy, "onnx", "language_model_v2.onnx");
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            damage(model.Graph);
            File.WriteAllBytes(path, model.ToByteArray());
            return Assert.Throws<InferenceException>(() => TtsEngine.Load(copy, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle }).Dispose());
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(copy);
        }
    }
}
