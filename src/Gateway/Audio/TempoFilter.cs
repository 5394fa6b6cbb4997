using System.Globalization;

namespace Sawt.Gateway.Audio;

/// <summary>
/// ffmpeg's <c>atempo</c> filter chain for a speed factor: atempo changes tempo without changing pitch and takes
/// factors from 0.5 to 100 per instance, so slower speeds are a chain of 0.5 steps and one remainder.
/// </summary>
internal static class TempoFilter
{
    /// <summary>OpenAI's accepted range for <c>speed</c>.</summary>
    public const double MinSpeed = 0.25;

    /// <inheritdoc cref="MinSpeed"/>
    public const double MaxSpeed = 4.0;

    private const double AtempoMin = 0.5;

    /// <summary>True when <paramref name="speed"/> changes nothing (1.0, within rounding).</summary>
    public static bool IsIdentity(double speed) => Math.Abs(speed - 1.0) < 1e-9;

    /// <summary>The filter graph for <paramref name="speed"/> in [<see cref="MinSpeed"/>, <see cref="MaxSpeed"/>], e.g. <c>atempo=0.5,atempo=0.5</c>.</summary>
    public static string For(double speed)
    {
        if (!(speed >= MinSpeed && speed <= MaxSpeed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, $"Speed must be {MinSpeed} to {MaxSpeed}.");
        }

        var stages = new List<string>();
        var rest = speed;
        while (rest < AtempoMin)
        {
            stages.Add(Stage(AtempoMin));
            rest /= AtempoMin;
        }

        stages.Add(Stage(rest));
        return string.Join(',', stages);

        static string Stage(double factor) => "atempo=" + factor.ToString("0.######", CultureInfo.InvariantCulture);
    }
}
