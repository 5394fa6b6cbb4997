using Microsoft.Extensions.Time.Testing;
using Sawt.Contracts.Operations;
using Sawt.Grains.Operations;

namespace Sawt.Grains.Tests.Operations;

/// <summary>
/// The operator view's latency window: nearest-rank percentiles, buckets by time, eviction when the ring comes
/// round, the sample cap, and errors by code, all on a <see cref="FakeTimeProvider"/>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SessionOutcomeWindowTests
{
    private static readonly TimeSpan Width = TimeSpan.FromSeconds(10);
    private const int Buckets = 6; // a one-minute window
    private const int Samples = 1000;

    // Mid-bucket, so a few seconds' advance stays in the same bucket.
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 3, TimeSpan.Zero);

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.95, 95)]
    [InlineData(0.99, 99)]
    [InlineData(1.00, 100)]
    [InlineData(0.001, 1)]
    public void Percentile_OneToHundred_IsTheNearestRank(double percentile, double expected)
    {
        // Shuffled, so the percentile cannot lean on input order.
        var values = Enumerable.Range(1, 100).Select(v => (double)v).OrderBy(v => (v * 37) % 101).ToList();

        Assert.Equal(expected, SessionOutcomeWindow.Percentile(values, percentile));
    }

    [Fact]
    public void Percentile_FewValues_RoundsTheRankUp()
    {
        Assert.Equal(20, SessionOutcomeWindow.Percentile([30, 10, 20], 0.5));
        Assert.Equal(30, SessionOutcomeWindow.Percentile([30, 10, 20], 0.95));
        Assert.Equal(0, SessionOutcomeWindow.Percentile([], 0.5));
    }

    [Fact]
    public void Total_OutcomesInTheWindow_SummarisesLatencyAndErrors()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        for (var i = 1; i <= 100; i++)
        {
            window.Record(new SessionOutcome(i, null));
        }

        window.Record(new SessionOutcome(null, "busy"));
        window.Record(new SessionOutcome(500, "audio_gap"));
        window.Record(new SessionOutcome(null, "busy"));

        var total = window.Total();

        Assert.Equal(103, total.Sessions);
        Assert.Equal(3, total.Errors);
        Assert.Equal(3.0 / 103, total.ErrorRate, 9);
        // 101 samples: 1..100 and 500.
        Assert.Equal(51, total.P50Milliseconds);
        Assert.Equal(96, total.P95Milliseconds);
        Assert.Equal(100, total.P99Milliseconds);
        Assert.Equal(new[] { new ErrorCount("busy", 2), new ErrorCount("audio_gap", 1) }, window.ErrorsByCode());
    }

    [Fact]
    public void Buckets_OutcomesOverTime_LandInTheirOwnBuckets_OldestFirst()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        window.Record(new SessionOutcome(100, null));
        time.Advance(Width);
        window.Record(new SessionOutcome(200, null));
        window.Record(new SessionOutcome(300, "busy"));
        time.Advance(Width * 2);
        window.Record(new SessionOutcome(400, null));

        var buckets = window.Buckets();

        Assert.Equal(new[] { 1, 2, 1 }, buckets.Select(b => b.Sessions));
        Assert.Equal(new[] { 0, 1, 0 }, buckets.Select(b => b.Errors));
        Assert.Equal(new double[] { 100, 300, 400 }, buckets.Select(b => b.P99Milliseconds));
        Assert.Equal(Width * 3, buckets[2].Start - buckets[0].Start);
        Assert.True(buckets[0].Start <= Start && Start < buckets[0].Start + Width);
    }

    [Fact]
    public void Window_OutcomesOlderThanTheWindow_AreEvicted()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        window.Record(new SessionOutcome(9000, "busy"));
        time.Advance(Width);
        window.Record(new SessionOutcome(100, null));

        // The first bucket is still inside the window one bucket before it ends ...
        time.Advance(Width * (Buckets - 2));
        Assert.Equal(2, window.Total().Sessions);

        // ... and gone when the window has moved past it, though its ring slot has not been reused yet.
        time.Advance(Width);
        var total = window.Total();
        Assert.Equal(1, total.Sessions);
        Assert.Equal(100, total.P99Milliseconds);
        Assert.Empty(window.ErrorsByCode());
    }

    [Fact]
    public void Record_RingComesRound_ReusesTheSlot_WithoutTheOldBucketsOutcomes()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        window.Record(new SessionOutcome(9000, "busy"));

        // Exactly one window later: the same ring slot, a new bucket.
        time.Advance(Width * Buckets);
        window.Record(new SessionOutcome(100, null));

        var bucket = Assert.Single(window.Buckets());
        Assert.Equal(1, bucket.Sessions);
        Assert.Equal(0, bucket.Errors);
        Assert.Equal(100, bucket.P99Milliseconds);
    }

    [Fact]
    public void Window_LongIdle_IsEmpty()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        window.Record(new SessionOutcome(100, null));

        time.Advance(TimeSpan.FromHours(3));

        Assert.Empty(window.Buckets());
        Assert.Equal(0, window.Total().Sessions);
        Assert.Equal(0, window.Total().P50Milliseconds);
    }

    [Fact]
    public void Record_BeyondTheSampleCap_KeepsCountsExact_AndSamplesRepresentative()
    {
        const int Cap = 100;
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Cap, new Random(7));

        // 10,000 sessions with times 1..10,000 ms in one bucket: only 100 samples are kept.
        for (var i = 1; i <= 10_000; i++)
        {
            window.Record(new SessionOutcome(i, null));
        }

        var total = window.Total();
        Assert.Equal(10_000, total.Sessions);
        // A uniform reservoir's median lands near the true median (5,000), far from the first 100 values.
        Assert.InRange(total.P50Milliseconds, 3500, 6500);
        Assert.InRange(total.P99Milliseconds, 8500, 10_000);
    }

    [Fact]
    public void Record_ManyDistinctCodes_AreCappedUnderOther()
    {
        var time = new FakeTimeProvider(Start);
        var window = new SessionOutcomeWindow(time, Width, Buckets, Samples);
        for (var i = 0; i < SessionOutcomeWindow.MaxCodes + 5; i++)
        {
            window.Record(new SessionOutcome(null, $"code_{i}"));
        }

        var errors = window.ErrorsByCode();

        Assert.Equal(SessionOutcomeWindow.MaxCodes + 1, errors.Count);
        Assert.Equal(new ErrorCount(SessionOutcomeWindow.OtherCode, 5), errors[0]);
        Assert.Equal(SessionOutcomeWindow.MaxCodes + 5, window.Total().Errors);
    }
}
