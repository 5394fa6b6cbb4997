using Microsoft.Extensions.Options;
using Sawt.Grains.Voices;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Tests;

/// <summary>A silo's memory layer stays bounded and lets go of a replaced voice at once.</summary>
[Trait("Category", "Unit")]
public sealed class VoiceMemoryCacheTests
{
    [Fact]
    public void Put_BeyondCapacity_LeastRecentlyUsedDropped()
    {
        var cache = new VoiceMemoryCache(Options.Create(new VoiceStoreOptions { MemoryEntries = 2 }));
        cache.Put("a", "bundle", "h1", Voice(1));
        cache.Put("b", "bundle", "h2", Voice(2));
        Assert.True(cache.TryGet("bundle", "h1", out _));

        cache.Put("c", "bundle", "h3", Voice(3));

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("bundle", "h1", out var kept));
        Assert.Equal(1f, kept.SpeakerEmbedding[0]);
        Assert.False(cache.TryGet("bundle", "h2", out _));
        Assert.True(cache.TryGet("bundle", "h3", out _));
    }

    [Fact]
    public void Put_NewRevisionOfAVoice_OldRevisionDroppedOnEveryBundle()
    {
        var cache = new VoiceMemoryCache(Options.Create(new VoiceStoreOptions { MemoryEntries = 8 }));
        cache.Put("a", "bundle-1", "old", Voice(1));
        cache.Put("a", "bundle-2", "old", Voice(1));
        cache.Put("b", "bundle-1", "other", Voice(2));

        cache.Put("a", "bundle-1", "new", Voice(3));

        Assert.False(cache.TryGet("bundle-1", "old", out _));
        Assert.False(cache.TryGet("bundle-2", "old", out _));
        Assert.True(cache.TryGet("bundle-1", "new", out _));
        Assert.True(cache.TryGet("bundle-1", "other", out _));
        Assert.Equal(2, cache.Count);
    }

    private static VoiceConditionals Voice(float marker) => new([marker, 0], 1, 2, [1], [marker], [marker], 1);
}
