using Microsoft.Extensions.Hosting;

namespace Sawt.Gateway.Audio;

/// <summary>Probes ffmpeg once at start, so a missing encoder is logged then and shown in <c>/readyz</c>, not found by the first request.</summary>
internal sealed class AudioEncoderProbe(AudioEncoders encoders) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => encoders.ProbeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
