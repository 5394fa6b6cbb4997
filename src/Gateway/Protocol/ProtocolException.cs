namespace Sawt.Gateway.Protocol;

/// <summary>A client request the gateway refuses before it reaches the cluster.</summary>
internal sealed class ProtocolException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
