namespace Sawt.Inference.Decoding;

/// <summary>
/// The sampling schedule baked into a decoder graph: its kind and step count (fixed at export). Flow matching uses
/// <c>t_k = 1 - cos(pi/2 * k/N)</c> and guidance <c>1.7 v_cond - 0.7 v_uncond</c>; MeanFlow uses <c>t_k = k/N</c>
/// without guidance (model-contract.md 7.1, 8).
/// </summary>
public sealed record DecoderSchedule(DecoderKind Kind, int Steps)
{
    /// <summary>Guidance rate of the flow-matching decoders (<c>v = (1 + rate) v_cond - rate v_uncond</c>).</summary>
    public const double GuidanceRate = 0.7;

    /// <summary>The v1 <c>conditional_decoder.onnx</c>: 10 flow-matching steps.</summary>
    public static DecoderSchedule V1 { get; } = new(DecoderKind.FlowMatching, 10);

    /// <summary>Turbo's <c>conditional_decoder.onnx</c>: MeanFlow, 2 steps as in the reference (unconfirmed for the ONNX export).</summary>
    public static DecoderSchedule TurboDefault { get; } = new(DecoderKind.MeanFlow, 2);

    /// <summary>Estimator evaluations per step: two with guidance (conditional and unconditional rows), one without.</summary>
    public int EstimatorCallsPerStep => Kind == DecoderKind.FlowMatching ? 2 : 1;

    /// <summary>Estimator evaluations per decoder call, the measure of its cost.</summary>
    public int EstimatorCalls => Steps * EstimatorCallsPerStep;

    /// <summary>Short name for logs, metrics and reports, e.g. <c>cfm-10</c> or <c>meanflow-2</c>.</summary>
    public string Label => $"{(Kind == DecoderKind.FlowMatching ? "cfm" : "meanflow")}-{Steps}";

    /// <summary>The <see cref="Steps"/> + 1 time points from 0 to 1.</summary>
    public double[] TimeGrid()
    {
        var grid = new double[Steps + 1];
        for (var k = 0; k <= Steps; k++)
        {
            var s = (double)k / Steps;
            grid[k] = Kind == DecoderKind.FlowMatching ? 1 - Math.Cos(Math.PI / 2 * s) : s;
        }

        // Exact ends: the cosine's rounding must not leave the last point a hair short of 1.
        grid[Steps] = 1;
        return grid;
    }
}
