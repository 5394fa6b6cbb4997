namespace Sawt.Inference;

/// <summary>Fixed numbers of the Chatterbox model family (model-contract.md section 1).</summary>
public static class ChatterboxConstants
{
    /// <summary>Output sample rate of every decoder graph.</summary>
    public const int SampleRate = 24_000;

    /// <summary>One speech token is 40 ms of audio.</summary>
    public const int SamplesPerToken = 960;

    /// <summary>Number of real speech codes (3^8 FSQ); ids at or above this never reach the decoder.</summary>
    public const int SpeechCodebookSize = 6561;

    public const long StartOfSpeech = 6561;
    public const long StopOfSpeech = 6562;

    /// <summary>Embedding slot whose vector is exaggeration * w_emotion (ONNX exports only).</summary>
    public const long ExaggerationSlot = 6563;

    /// <summary>Width of the multilingual speech head (logits), not 6563.</summary>
    public const int SpeechLogitsWidth = 8194;

    public const long TextStart = 255;
    public const long TextStop = 0;
    public const long TextUnknown = 1;
    public const long TextSpace = 2;

    /// <summary>Conditioning slots from the speech encoder: 1 speaker + 32 perceiver outputs.</summary>
    public const int ConditioningSlots = 33;

    public const int SpeakerEmbeddingSize = 192;
    public const int MelBins = 80;

    /// <summary>Learned text position table size; text beyond it fails inside Gather.</summary>
    public const int TextPositionTable = 2050;

    /// <summary>Learned speech position table size; generation beyond it fails inside Gather.</summary>
    public const int SpeechPositionTable = 4100;
}
