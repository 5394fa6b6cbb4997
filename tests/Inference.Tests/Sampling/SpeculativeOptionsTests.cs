using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class SpeculativeOptionsTests
{
    public static TheoryData<string, SpeculativeOptions> Invalid => new()
    {
        { "MinDraftTokens", new SpeculativeOptions { MinDraftTokens = 0 } },
        { "MaxDraftTokens", new SpeculativeOptions { MinDraftTokens = 3, MaxDraftTokens = 2 } },
        { "MaxDraftTokens", new SpeculativeOptions { MaxDraftTokens = SpeculativeOptions.MaxDraftTokensLimit + 1 } },
        { "DraftCostRatio", new SpeculativeOptions { DraftCostRatio = -0.1 } },
        { "DraftCostRatio", new SpeculativeOptions { DraftCostRatio = double.NaN } },
        { "DraftCostRatio", new SpeculativeOptions { DraftCostRatio = 1.5 } },
        { "InitialAcceptanceRate", new SpeculativeOptions { InitialAcceptanceRate = 1.01 } },
        { "AcceptanceDecay", new SpeculativeOptions { AcceptanceDecay = 1 } },
        { "AcceptanceDecay", new SpeculativeOptions { AcceptanceDecay = -0.5 } },
    };

    [Fact]
    public void Validate_Defaults_PassAndAreOff()
    {
        var options = new SpeculativeOptions();

        options.Validate();

        Assert.False(options.Enabled);
        Assert.Equal(4, options.MaxDraftTokens);
        Assert.Equal(1, options.MinDraftTokens);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfRange_ThrowsInvalidOptionsNamingTheSetting(string setting, SpeculativeOptions options)
    {
        var error = Assert.Throws<InferenceException>(options.Validate);

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.StartsWith(setting, error.Message, StringComparison.Ordinal);
    }
}
