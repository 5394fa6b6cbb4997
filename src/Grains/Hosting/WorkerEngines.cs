using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Inference;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Synthetic;


namespace Sawt.Grains.Hosting;

/// <summary>
/// The engines of this silo's devices: one <see cref="TtsEngine"/> per device, loaded and warmed up in the
/// background at start (a real bundle takes a while), disposed at shutdown. Worker grains borrow them.
/// </summary>
public sealed partial class WorkerEngines(IOptions<WorkerOptions> options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TtsEngine> _engines = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger = loggerFactory.CreateLogger<WorkerEngines>();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loading;

    /// <summary>Devices loaded on this silo (names as in worker keys, e.g. <c>cpu</c>, <c>cpu:1</c> or <c>cuda:0</c>; <c>auto</c> resolved).</summary>
    public IReadOnlyList<string> Devices => [.. _engines.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The engines loaded so far by device, safe to enumerate while loading or stopping (for metrics).</summary>
    internal IEnumerable<KeyValuePair<string, TtsEngine>> Loaded => _engines;

    /// <summary>How many devices this silo serves once loaded: one T3 and one decoder worker each.</summary>
    public int ConfiguredDeviceCount => options.Value.ParsedDevices.Count;

    /// <summary>Completes when every engine is loaded and warmed up; faults if loading failed.</summary>
    public Task Ready => _ready.Task;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>True when the loaded bundle is synthetic (not speech).</summary>
    public bool IsSynthetic { get; private set; }

    public TtsEngine Get(string device) => _engines.TryGetValue(device, out var engine)
        ? engine
        : throw new InvalidOperationException($"No engine for device '{device}' on this silo (devices: {string.Join(", ", _engines.Keys)}).");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Loading can take minutes on real weights: never hold up silo start; readiness reports it instead.
        _loading = Task.Run(() => LoadAll(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loading is not null)
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines.Values)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }

        _engines.Clear();
        _stopping.Dispose();
    }

    private async Task LoadAll(CancellationToken cancellationToken)
    {
        try
        {
            var settings = options.Value;
            var bundle = string.IsNullOrWhiteSpace(settings.BundlePath) ? EnsureSyntheticBundle(settings) : settings.BundlePath;
            var devices = settings.ParsedDevices;
            var cpuDevices = devices.Count(d => d.IsCpu);
            // One after another: loading is mostly file reading and graph optimisation, and readiness waits for all.
            foreach (var device in devices)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var engine = TtsEngine.Load(bundle, new TtsEngineOptions
                {
                    Bundle = new BundleOptions
                    {
                        ExecutionProvider = device.Choice,
                        IntraOpThreads = device.IntraOpThreads(settings.IntraOpThreads, cpuDevices, Environment.ProcessorCount),
                        DraftModel = settings.DraftModel,
                        LoadDraftModel = settings.SpeculativeDecoding,
                        DecoderVariants = settings.DecoderVariants,
                    },
                    DecoderBatching = settings.DecoderBatching,
                    Scheduler = settings.SchedulerOptions,
                    Speculative = settings.SpeculativeOptions,
                }, loggerFactory);

                // auto is alone in its list (WorkerDevice.ParseList), so its resolved name cannot collide.
                var name = device.Choice.Kind == ExecutionProviderKind.Auto ? engine.Bundle.Provider.ToString() : device.Name;
                if (!_engines.TryAdd(name, engine))
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"Device '{name}' is configured twice.");
                }

                IsSynthetic = engine.Bundle.IsSynthetic;
                // Warm-up: encode the default voice and speak a short sentence so the first user is not the first call.
                _ = engine.DefaultVoice;
                await engine.SynthesizeAsync(new SynthesisRequest("Warm up.", "en", Sampling: new() { Seed = 1, MaxNewTokens = 30 }), cancellationToken: cancellationToken).ConfigureAwait(false);
                LogEngineReady(_logger, name, bundle, engine.Bundle.IsSynthetic, string.Join(", ", engine.Decoder.Variants));
            }

            _ready.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            // Loop edge: any failure must reach readiness (and the log), never leave it pending.
            LogEngineFailed(_logger, ex);
            _ready.TrySetException(ex);
        }
    }

    private static string EnsureSyntheticBundle(WorkerOptions settings)
    {
        var root = settings.SyntheticBundleCache ?? Path.Combine(Path.GetTempPath(), "sawt-bundles");
        return SyntheticBundleCache.EnsureTiny(root);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Engine for {Device} ready (bundle {Bundle}, synthetic {Synthetic}, decoder variants {DecoderVariants})")]
    private static partial void LogEngineReady(ILogger logger, string device, string bundle, bool synthetic, string decoderVariants);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "Loading the worker engines failed; this silo serves no GPU work")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception);
}
