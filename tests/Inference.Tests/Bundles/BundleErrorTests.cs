using Google.Protobuf;
using Onnx;
using Sawt.Inference.Bundles;

namespace Sawt.Inference.Tests.Bundles;

[Trait("Category", "Unit")]
public sealed class BundleErrorTests(TinyBundleFixture bundle)
{
    [Fact]
    public void Load_MissingDecoder_NamesTheFile()
    {
        var error = LoadDamaged(dir => File.Delete(Path.Combine(dir, "onnx", "conditional_decoder.onnx")));
        Assert.Equal(InferenceErrorCode.BundleFileMissing, error.Code);
        Assert.Contains("conditional_decoder.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_BundleFileMissing()
    {
        var error = Assert.Throws<InferenceException>(() => ModelBundle.Load(TinyBundleFixture.NewTempDirectory(), TinyBundleFixture.CpuBundle));
        Assert.Equal(InferenceErrorCode.BundleFileMissing, error.Code);
    }

    [Fact]
    public void Load_TruncatedLanguageModel_BundleGraphCorruptNamingFile()
    {
        var error = LoadDamaged(dir =>
        {
            var path = Path.Combine(dir, "onnx", "language_model.onnx");
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        });
        Assert.Equal(InferenceErrorCode.BundleGraphCorrupt, error.Code);
        Assert.Contains("language_model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RenamedAttentionMask_BundleTensorMissingNamingTensor()
    {
        var error = LoadDamaged(dir => RewriteGraph(Path.Combine(dir, "onnx", "language_model.onnx"), graph =>
        {
            // A consistent graph whose input is called attn_mask: Identity(attn_mask) -> attention_mask.
            var input = graph.Input.Single(i => i.Name == "attention_mask");
            input.Name = "attn_mask";
            graph.Node.Insert(0, Identity("attn_mask", "attention_mask"));
        }));
        Assert.Equal(InferenceErrorCode.BundleTensorMissing, error.Code);
        Assert.Contains("language_model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'attention_mask'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Int32InputIds_BundleTensorMismatchNamingTensorAndType()
    {
        var error = LoadDamaged(dir => RewriteGraph(Path.Combine(dir, "onnx", "embed_tokens.onnx"), graph =>
        {
            // A consistent graph that takes int32 ids and casts them: loads fine, breaks the contract.
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == "input_ids")
                    {
                        node.Input[i] = "input_ids_as_int64";
                    }
                }
            }

            graph.Input.Single(i => i.Name == "input_ids").Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int32;
            var cast = new NodeProto { OpType = "Cast", Name = "to_int64" };
            cast.Input.Add("input_ids");
            cast.Output.Add("input_ids_as_int64");
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int64 });
            graph.Node.Insert(0, cast);
        }));
        Assert.Equal(InferenceErrorCode.BundleTensorMismatch, error.Code);
        Assert.Contains("embed_tokens.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'input_ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTokenizer_NamesTheFile()
    {
        var error = LoadDamaged(dir => File.Delete(Path.Combine(dir, "tokenizer.json")));
        Assert.Equal(InferenceErrorCode.BundleFileMissing, error.Code);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownVariant_InvalidOptions()
    {
        var error = Assert.Throws<InferenceException>(() =>
            ModelBundle.Load(bundle.Directory, TinyBundleFixture.CpuBundle with { LanguageModelVariant = "int3" }));
        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
    }

    [Fact]
    public void Load_TinyBundle_ReadsLayoutFromMetadata()
    {
        using var loaded = ModelBundle.Load(bundle.Directory, TinyBundleFixture.CpuBundle);
        var info = loaded.LanguageModelInfo;
        Assert.Equal(BundleLayout.MultilingualV1, loaded.Layout);
        Assert.Equal(bundle.Options.Layers, info.Layers);
        Assert.Equal(bundle.Options.Heads, info.KvHeads);
        Assert.Equal(bundle.Options.HeadDim, info.HeadDim);
        Assert.Equal(bundle.Options.HiddenSize, info.HiddenSize);
        Assert.Equal(ChatterboxConstants.SpeechLogitsWidth, info.LogitsWidth);
        Assert.False(info.BatchAxisFixedToOne);
        Assert.True(loaded.IsSynthetic);
        Assert.NotNull(loaded.DraftLanguageModel);
    }

    private InferenceException LoadDamaged(Action<string> damage)
    {
        var copy = bundle.CopyBundle();
        try
        {
            damage(copy);
            return Assert.Throws<InferenceException>(() => TtsEngine.Load(copy, new TtsEngineOptions { Bundle = TinyBundleFixture.CpuBundle }).Dispose());
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

    private static NodeProto Identity(string from, string to)
    {
        var node = new NodeProto { OpType = "Identity", Name = "rename_" + from };
        node.Input.Add(from);
        node.Output.Add(to);
        return node;
    }
}
