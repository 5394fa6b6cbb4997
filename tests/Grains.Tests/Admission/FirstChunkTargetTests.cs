using Sawt.Grains.Hosting;

namespace Sawt.Grains.Tests.Admission;

/// <summary>The T3 worker's share of the first-audio target, given what the session's decoder worker reported.</summary>
[Trait("Category", "Unit")]
public sealed class FirstChunkTargetTests
{
    private const double Target = 1500;
    private const double Allowance = 300;

    private static readonly WorkerOptions Options = new() { FirstAudioTargetMilliseconds = Target, FirstDecodeAllowanceMilliseconds = Allowance };

    [Theory]
    [InlineData(null, Target - Allowance)] // no recent first chunk at the decoder: the configured allowance
    [InlineData(120.0, Target - Allowance)] // an idle decoder: the allowance is the floor
    [InlineData(700.0, Target - 700)] // a queue at the decoder: its measured cost
    [InlineData(1499.5, 0.5)] // nearly all of it: what is left
    [InlineData(1500.0, WorkerOptions.MinimumFirstChunkTargetMilliseconds)] // the decoder alone takes all of it
    [InlineData(4000.0, WorkerOptions.MinimumFirstChunkTargetMilliseconds)]
    public void FirstChunkTarget_TheAudioTargetLessTheDecodersCurrentShare(double? decoderFirstChunk, double expected)
    {
        Assert.Equal(expected, Options.FirstChunkTargetMilliseconds(decoderFirstChunk));
    }

    [Fact]
    public void FirstChunkTarget_WithoutAnAudioTarget_None()
    {
        Assert.Null(new WorkerOptions { FirstDecodeAllowanceMilliseconds = Allowance }.FirstChunkTargetMilliseconds(700));
    }
}
