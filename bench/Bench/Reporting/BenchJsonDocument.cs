namespace Sawt.Bench.Reporting;

/// <summary>
/// What <c>--json</c> writes: the bench's name, the exact command, the build, the machine and runtime facts with the
/// date, the load average at the end, and the report itself (settings and every table's rows, unrounded).
/// </summary>
internal sealed record BenchJsonDocument<TReport>(string Bench, string Command, string Build, MachineFacts Machine, string LoadAverageAtEnd, TReport Report);
