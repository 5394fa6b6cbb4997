using Sawt.Inference.Decoding;

namespace Sawt.Inference.Tests.Decoding;

[Trait("Category", "Unit")]
public sealed class SpeechDecoderBatchTests(DecoderVariantsFixture variants) : IClassFixture<DecoderVariantsFixture>
{
    [Fact]
    public void DecodeBatch_EqualShapes_EachRowEqualsItsOwnCall()
    {
        var decoder = variants.Engine.Decoder;
        var rows = new[]
        {
            new DecoderRow(variants.Engine.DefaultVoice, [1, 2, 3, 400, 5000, 6]),
            new DecoderRow(variants.OtherVoice, [9, 8, 7, 600, 500, 4]),
            new DecoderRow(variants.Engine.DefaultVoice, [6500, 6400, 300, 200, 100, 0]),
        };
        Assert.Equal(variants.Engine.DefaultVoice.PromptTokens.Length, variants.OtherVoice.PromptTokens.Length);

        foreach (var variant in decoder.Variants)
        {
            var batched = decoder.DecodeBatch(rows, variant, TestContext.Current.CancellationToken);
            for (var r = 0; r < rows.Length; r++)
            {
                var alone = decoder.Decode(rows[r].Voice, rows[r].Tokens, variant, TestContext.Current.CancellationToken);
                Assert.Equal(alone.Length, batched[r].Length);
                Assert.True(MaxDifference(alone, batched[r]) < 1e-5f, $"{variant}: row {r} differs from its own call.");
            }
        }
    }

    [Fact]
    public void DecodeBatch_UnequalTokenCounts_Refused()
    {
        var rows = new[] { new DecoderRow(variants.Engine.DefaultVoice, [1, 2, 3]), new DecoderRow(variants.Engine.DefaultVoice, [1, 2]) };
        Assert.Throws<ArgumentException>(() => variants.Engine.Decoder.DecodeBatch(rows, variants.Engine.Decoder.Default, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Decode_PaddedRow_ChangesItsAudio_SoOnlyEqualShapesBatch()
    {
        // Why the batcher never pads: the graph sees a padded token as a real one, and the bidirectional context
        // changes the audio of the real tokens next to it.
        var decoder = variants.Engine.Decoder;
        long[] tokens = [10, 20, 30, 40, 50];
        var plain = decoder.Decode(variants.Engine.DefaultVoice, tokens, TestContext.Current.CancellationToken);
        var padded = decoder.Decode(variants.Engine.DefaultVoice, [.. tokens, 0], TestContext.Current.CancellationToken);
        Assert.True(MaxDifference(plain, padded[..plain.Length]) > 1e-3f);
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
