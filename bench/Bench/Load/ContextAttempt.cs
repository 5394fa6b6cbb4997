namespace Sawt.Bench.Load;

/// <summary>
/// One attempt at one utterance, as the generator drove it. Its stream (what came back) is the verifier's; an
/// attempt whose context never reached the wire (the socket was down) has only <see cref="ClientCode"/>.
/// </summary>
/// <param name="ContextId">The wire context id (unique per run).</param>
/// <param name="Socket">The socket's index.</param>
/// <param name="Utterance">The utterance's index in the run (context × turns + turn).</param>
/// <param name="Number">1 for the first attempt, 2 for the first retry, ...</param>
/// <param name="FirstTextTimestamp">When the first <c>text</c> was sent (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>); null if none was.</param>
/// <param name="ClientCode">How the client saw it end: <c>done</c>, <c>cancelled</c>, an error code, or <c>timeout</c>.</param>
internal sealed record ContextAttempt(string ContextId, int Socket, int Utterance, int Number, long? FirstTextTimestamp, string ClientCode);
