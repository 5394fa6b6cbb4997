using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;

namespace Sawt.Inference.Generation;

/// <summary>
/// The shape of one language model's cache tensors, [rows, heads, past, headDim] in the graph's element type, and
/// the byte arithmetic on them. Chosen once per model from its metadata.
/// </summary>
internal sealed class KvLayout
{
    /// <param name="info">The model's metadata.</param>
    /// <param name="ledger">The bundle's ledger, which counts every cache tensor.</param>
    /// <param name="slotIndex">Which of a sequence's <see cref="T3Sequence.Slots"/> holds its cache on this model (0 target, 1 draft).</param>
    public KvLayout(LanguageModelInfo info, NativeMemoryLedger ledger, int slotIndex)
    {
        SlotIndex = slotIndex;
        Layers = info.Layers;
        Heads = info.KvHeads;
        HeadDim = info.HeadDim;
        HiddenSize = info.HiddenSize;
        ElementType = info.KvElementType;
        ElementSize = info.KvElementType == TensorElementType.Float16 ? 2 : 4;
        Ledger = ledger;
        ActivationElementType = info.ActivationElementType;
        GuidanceInGraph = info.GuidanceInGraph;
        HasPositionIds = info.HasPositionIds;

        // The v2 graph adds cfg_weight after the pasts and attn_layers right after the logits; Turbo's position_ids
        // come last (inputs go by name, the order is only this class's and KvBatch's convention).
        InputNames =
        [
            "inputs_embeds", "attention_mask", .. info.PastNames(),
            .. info.GuidanceInGraph ? ["cfg_weight"] : Array.Empty<string>(),
            .. info.HasPositionIds ? ["position_ids"] : Array.Empty<string>(),
        ];
        OutputNames = info.GuidanceInGraph
            ? ["logits", "attn_layers", .. info.PresentNames()]
            : ["logits", .. info.PresentNames()];
    }

    /// <summary>Element type of the embeddings fed and the logits read (f16 in the v2 re-export).</summary>
    public TensorElementType ActivationElementType { get; }

    /// <summary>The v2 contract: <c>cfg_weight</c> is fed, the logits are CFG-combined, <c>attn_layers</c> comes back.</summary>
    public bool GuidanceInGraph { get; }

    /// <summary>Index of the first present in <see cref="OutputNames"/>.</summary>
    public int PresentOffset => GuidanceInGraph ? 2 : 1;

    public int SlotIndex { get; }

    public int Layers { get; }

    public int Heads { get; }

    public int HeadDim { get; }

    public int HiddenSize { get; }

    public TensorElementType ElementType { get; }

    public int ElementSize { get; }

    public NativeMemoryLedger Ledger { get; }

    /// <summary>The model reads each position from a <c>position_ids</c> input (Turbo) rather than from the mask's count.</summary>
    public bool HasPositionIds { get; }

    /// <summary>Embeds, mask, <c>position_ids</c> when the model takes them, then the pasts by name (layer order, key then value).</summary>
    public string[] InputNames { get; }

    /// <summary>Logits, then the presents named to match <see cref="InputNames"/>' pasts.</summary>
    public string[] OutputNames { get; }

    public long TensorBytes(int rows, int past) => (long)rows * Heads * past * HeadDim * ElementSize;

    /// <summary>A [rows, heads, 0, headDim] cache for a first call. Caller disposes (the ledger counts it).</summary>
    public OrtValue EmptyTensor(int rows)
    {
        long[] shape = [rows, Heads, 0, HeadDim];
        Ledger.Acquired(1);
        return ElementType == TensorElementType.Float16
            ? OrtValue.CreateTensorValueFromMemory(Array.Empty<Float16>(), shape)
            : OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), shape);
    }

    /// <summary>An uninitialised [rows, heads, past, headDim] cache tensor in native memory. Caller disposes and counts it.</summary>
    public OrtValue AllocateTensor(int rows, int past) =>
        OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, ElementType, [rows, Heads, past, HeadDim]);

    /// <summary>
    /// Copies one row's valid columns, in order, from a source cache tensor into a target row, right-aligned; runs of
    /// consecutive valid columns move as one block per head.
    /// </summary>
    public void CopyValidColumns(ReadOnlySpan<byte> source, int sourceRow, int sourcePast, List<byte> valid, Span<byte> target, int targetRow, int targetPast)
    {
        var column = HeadDim * ElementSize;
        var validCount = 0;
        foreach (var v in valid)
        {
            validCount += v;
        }

        var flags = CollectionsMarshal.AsSpan(valid);
        for (var h = 0; h < Heads; h++)
        {
            var from = (((long)sourceRow * Heads) + h) * sourcePast * column;
            var to = ((((long)targetRow * Heads) + h) * targetPast + (targetPast - validCount)) * column;
            var c = 0;
            while (c < flags.Length)
            {
                if (flags[c] == 0)
                {
                    c++;
                    continue;
                }

                var start = c;
                while (c < flags.Length && flags[c] == 1)
                {
                    c++;
                }

                var bytes = (c - start) * column;
                source.Slice((int)(from + (start * column)), bytes).CopyTo(target.Slice((int)to, bytes));
                to += bytes;
            }
        }
    }
}
