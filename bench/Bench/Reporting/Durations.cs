namespace Sawt.Bench.Reporting;

/// <summary>How every bench report writes a duration.</summary>
internal static class Durations
{
    /// <summary>Milliseconds, whole from 100 ms up, one decimal below.</summary>
    public static string Ms(double milliseconds) => milliseconds >= 100 ? $"{milliseconds:F0} ms" : $"{milliseconds:F1} ms";
}
