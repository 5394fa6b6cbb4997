using Google.Protobuf;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Sawt.Inference.Bundles;

namespace Sawt.Inference.Tests.Turbo;

/// <summary>The Turbo layout is told apart by metadata, loads in both cache precisions, and a graph that does not fit is refused naming file and tensor.</summary>
[Trait("Category", "Unit")]
public sealed class TurboBundleTests(TurboBundleFixture turbo)
{
    [Theory]
    [InlineData("fp32", TensorElementType.Float)]
    [InlineData("fp16", TensorElementType.Float16)]
    public void Load_SyntheticTurbo_DetectsLayoutFromMetadata(string variant, TensorElementType cacheType)
    {
        using var loaded = ModelBundle.Load(turbo.Directory, TinyBundleFixture.CpuBundle with { LanguageModelVariant = variant });

        Assert.Equal(BundleLayout.Turbo, loaded.Layout);
        Assert.Equal(variant, loaded.Files.LanguageModelVariant);
        Assert.Equal(TurboConstants.SpeechLogitsWidth, loaded.LanguageModelInfo.LogitsWidth);
        Assert.True(loaded.LanguageModelInfo.HasPositionIds);
        Assert.Equal(cacheType, loaded.LanguageModelInfo.KvElementType);
        Assert.Equal(TurboBundleFixture.Options.Layers, loaded.LanguageModelInfo.Layers);
        Assert.True(loaded.IsSynthetic);
    }

    [Fact]
    public void Load_NoVariantNamed_TakesFp32First()
    {
        using var loaded = ModelBundle.Load(turbo.Directory, TinyBundleFixture.CpuBundle);
        Assert.Equal("fp32", loaded.Files.LanguageModelVariant);
    }

    [Fact]
    public void Load_QuantizedVariant_LocatedByItsTurboName()
    {
        var copy = turbo.CopyBundle();
        try
        {
            var onnx = Path.Combine(copy, "onnx");
            File.Move(Path.Combine(onnx, "language_model_fp16.onnx"), Path.Combine(onnx, "language_model_quantized.onnx"));
            File.Delete(Path.Combine(onnx, "language_model.onnx"));

            using var loaded = ModelBundle.Load(copy, TinyBundleFixture.CpuBundle);

            Assert.Equal("quantized", loaded.Files.LanguageModelVariant);
            Assert.Equal(BundleLayout.Turbo, loaded.Layout);
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(copy);
        }
    }

    [Fact]
    public void Load_LanguageModelWithoutPositionIds_RefusedNamingFileAndTensor()
    {
        // A consistent graph that derives its positions itself: loads fine in ONNX Runtime, breaks the Turbo contract.
        var error = LoadDamaged(dir => RewriteGraph(Path.Combine(dir, "onnx", "language_model.onnx"), graph =>
        {
            graph.Input.Remove(graph.Input.Single(i => i.Name == "position_ids"));
            var zeros = new NodeProto { OpType = "Sub", Name = "positions_from_nothing" };
            zeros.Input.Add("attention_mask");
            zeros.Input.Add("attention_mask");
            zeros.Output.Add("position_ids");
            graph.Node.Insert(0, zeros);
        }));

        Assert.Equal(InferenceErrorCode.BundleTensorMissing, error.Code);
        Assert.Contains("language_model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'position_ids'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmbedWithExaggeration_RefusedNamingFileAndTensor()
    {
        var error = LoadDamaged(dir => RewriteGraph(Path.Combine(dir, "onnx", "embed_tokens.onnx"), graph =>
            graph.Input.Add(new ValueInfoProto
            {
                Name = "exaggeration",
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() } },
            })));

        Assert.Equal(InferenceErrorCode.BundleTensorMismatch, error.Code);
        Assert.Contains("embed_tokens.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'exaggeration'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Int32PositionIds_RefusedNamingFileTensorAndType()
    {
        var error = LoadDamaged(dir => RewriteGraph(Path.Combine(dir, "onnx", "language_model.onnx"), graph =>
        {
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == "position_ids")
                    {
                        node.Input[i] = "position_ids_as_int64";
                    }
                }
            }

            graph.Input.Single(i => i.Name == "position_ids").Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int32;
            var cast = new NodeProto { OpType = "Cast", Name = "to_int64" };
            cast.Input.Add("position_ids");
            cast.Output.Add("position_ids_as_int64");
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int64 });
            graph.Node.Insert(0, cast);
        }));

        Assert.Equal(InferenceErrorCode.BundleTensorMismatch, error.Code);
        Assert.Contains("language_model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'position_ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    private InferenceException LoadDamaged(Action<string> damage)
    {
        var copy = turbo.CopyBundle();
        try
        {
            damage(copy);
            return Assert.Throws<InferenceException>(() => ModelBundle.Load(copy, TinyBundleFixture.CpuBundle with { LanguageModelVariant = "fp32" }).Dispose());
        }
        finally
        {
            TinyBundleFixture.DeleteQuietly(copy);
        }
    }

    private static void RewriteGraph(string path, Action<GraphProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        change(model.Graph);
        File.WriteAllBytes(path, model.ToByteArray());
    }
}
