namespace Sawt.Inference.Streaming;

/// <summary>Worst values over all seams; see <see cref="SeamQuality"/>.</summary>
public sealed record SeamReport(int Seams, double MaxAbsDifference, double MaxExcessJump, double MaxLogSpectralDistanceDb);
