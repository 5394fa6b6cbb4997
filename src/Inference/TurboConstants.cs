namespace Sawt.Inference;

/// <summary>Fixed numbers of Chatterbox-Turbo (<c>ResembleAI/chatterbox-turbo-ONNX</c>, model-contract.md section 4).</summary>
public static class TurboConstants
{
    /// <summary>Width of the Turbo speech head (logits): the 6561 codes, START and STOP.</summary>
    public const int SpeechLogitsWidth = 6563;

    /// <summary>GPT-2 BPE ids: 50 257 GPT-2 ids plus the paralinguistic tags up to 50 275.</summary>
    public const int TextVocabSize = 50_276;

    /// <summary>GPT-2's end-of-text id; the template appends it twice and the embed graph reads it as START (6561).</summary>
    public const long TemplateSpeechId = 50_256;

    /// <summary>Conditioning positions from the speech encoder: 1 speaker slot + 375 prompt tokens (15 s).</summary>
    public const int ConditioningSlots = 376;

    /// <summary>Learned absolute position table of the GPT-2 backbone; positions past it fail inside Gather.</summary>
    public const int PositionTable = 8196;

    /// <summary>The speech token appended (three times) after generation, before decoding (model-contract.md 6.4).</summary>
    public const long SilenceToken = 4299;

    /// <summary>How many <see cref="SilenceToken"/>s close every generated segment.</summary>
    public const int SilenceTokenCount = 3;

    /// <summary>The one language Turbo speaks.</summary>
    public const string Language = "en";
}
