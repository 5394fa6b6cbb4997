namespace Sawt.Contracts;

/// <summary>Names of the Orleans stream provider and namespace that carry session events.</summary>
public static class StreamNames
{
    /// <summary>The stream provider registered on silos and clients.</summary>
    public const string Provider = "audio";

    /// <summary>Stream namespace; the stream key is the session id.</summary>
    public const string SessionNamespace = "tts-session";
}
