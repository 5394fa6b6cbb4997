namespace Sawt.Gateway.Audio;

/// <summary>The encoder process failed (exited with an error, or its pipe broke while it was fed).</summary>
internal sealed class AudioEncoderException : Exception
{
    public AudioEncoderException(string message)
        : base(message)
    {
    }

    public AudioEncoderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
