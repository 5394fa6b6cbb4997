namespace Sawt.Inference.Streaming;

/// <summary>
/// One decoder call of a streamed utterance, in generated-token indices: decode [ContextStart, DecodeEnd),
/// drop the audio of [ContextStart, EmitStart), emit [EmitStart, EmitEnd) (all of it when final), keep the
/// rest as the cross-fade tail.
/// </summary>
public sealed record DecodePlan(int Index, int ContextStart, int EmitStart, int EmitEnd, int DecodeEnd, bool IsFinal);
