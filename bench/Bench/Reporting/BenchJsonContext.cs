using System.Text.Json.Serialization;
using Sawt.Bench.Engine;
using Sawt.Bench.Load;
using Sawt.Bench.Streaming;

namespace Sawt.Bench.Reporting;

/// <summary>
/// Source-generated JSON for <c>--json</c>. Enums as names; infinities and NaN as the named literals (a run in which
/// every sequence stopped has an infinite time per token, and a ratio over zero is NaN) rather than a failure.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchJsonDocument<EngineBenchReport>))]
[JsonSerializable(typeof(BenchJsonDocument<StreamingBenchReport>))]
[JsonSerializable(typeof(BenchJsonDocument<LoadBenchReport>))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
