namespace Sawt.Grains.Hosting;

/// <summary>Session event streams (section <c>Sawt:Streams</c>).</summary>
public sealed class SessionStreamOptions
{
    public const string SectionName = "Sawt:Streams";

    /// <summary>
    /// How often memory-stream pulling agents look for new events; it sets the floor of the hop from a session's
    /// publish to its subscriber. Orleans' own default is 100 ms.
    /// </summary>
    public TimeSpan PollPeriod { get; set; } = SawtSiloBuilderExtensions.StreamPollPeriod;
}
