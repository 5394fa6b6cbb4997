namespace Sawt.Inference.Text;

/// <summary>
/// One tokenizer.json <c>added_tokens</c> entry of a Turbo bundle (a paralinguistic tag or
/// <c>&lt;|endoftext|&gt;</c>), matched in raw text before BPE.
/// </summary>
/// <param name="Content">The literal text, e.g. <c>[laugh]</c>; matched case-sensitively.</param>
/// <param name="Id">Its id.</param>
/// <param name="LeftStrip">HF <c>lstrip</c>: whitespace just before the token belongs to it and is not encoded.</param>
/// <param name="RightStrip">HF <c>rstrip</c>: whitespace just after the token belongs to it and is not encoded.</param>
internal sealed record TurboAddedToken(string Content, int Id, bool LeftStrip, bool RightStrip);
