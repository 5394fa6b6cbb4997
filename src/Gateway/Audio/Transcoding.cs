namespace Sawt.Gateway.Audio;

/// <summary>A response the gateway encodes itself: the encoders to use and what to ask of them.</summary>
internal sealed record Transcoding(AudioEncoders Encoders, TranscodeRequest Request)
{
    /// <summary>The wire name of what the client receives.</summary>
    public string Encoding => Request.Format.Name;
}
