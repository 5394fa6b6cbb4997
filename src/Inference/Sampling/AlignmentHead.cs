namespace Sawt.Inference.Sampling;

/// <summary>
/// One attention head of the v2 graph's <c>attn_layers</c> output ([3, 16, queryLength, keyLength], conditional
/// row only). <see cref="LayerSlot"/> indexes the first axis, whose slots 0, 1, 2 hold model layers 9, 12, 13.
/// </summary>
public readonly record struct AlignmentHead(int LayerSlot, int Head);
