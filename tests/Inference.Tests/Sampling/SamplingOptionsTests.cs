using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class SamplingOptionsTests
{
    [Fact]
    public void Defaults_MatchReferenceContract()
    {
        var options = new SamplingOptions();

        Assert.Equal(0.8f, options.Temperature);
        Assert.Null(options.MinP); // the layout's default: 0.05 multilingual, no min-p step for Turbo
        Assert.Null(options.TopP); // 1 multilingual, 0.95 Turbo
        Assert.Null(options.TopK); // no top-k step multilingual, 1000 Turbo
        Assert.Equal(1.2f, options.RepetitionPenalty);
        Assert.Equal(0.5f, options.CfgWeight);
        Assert.Equal(0.5f, options.Exaggeration);
        Assert.Null(options.Seed);
        Assert.Equal(1000, options.MaxNewTokens);
        options.Validate();
    }

    [Theory]
    [InlineData("temperature", -1e-3f)]
    [InlineData("temperature", -1f)]
    [InlineData("temperature", float.NaN)]
    [InlineData("temperature", float.PositiveInfinity)]
    [InlineData("min_p", -0.01f)]
    [InlineData("min_p", 1f)]
    [InlineData("min_p", float.NaN)]
    [InlineData("top_p", 0f)]
    [InlineData("top_p", 1.01f)]
    [InlineData("top_p", float.NaN)]
    [InlineData("repetition_penalty", 0.99f)]
    [InlineData("repetition_penalty", float.PositiveInfinity)]
    [InlineData("repetition_penalty", float.NaN)]
    [InlineData("cfg_weight", -0.1f)]
    [InlineData("cfg_weight", 10.01f)]
    [InlineData("cfg_weight", float.NaN)]
    [InlineData("exaggeration", -0.1f)]
    [InlineData("exaggeration", 3.01f)]
    [InlineData("exaggeration", float.NaN)]
    [InlineData("max_new_tokens", 0f)]
    [InlineData("max_new_tokens", 4097f)]
    public void Validate_OutOfRange_ThrowsInvalidOptionsNamingTheSetting(string setting, float value)
    {
        var options = With(setting, value);

        var error = Assert.Throws<InferenceException>(options.Validate);

        Assert.Equal(InferenceErrorCode.InvalidOptions, error.Code);
        Assert.StartsWith(setting + " must", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("temperature", 0f)]
    [InlineData("temperature", 1e-3f)]
    [InlineData("temperature", 5f)]
    [InlineData("min_p", 0f)]
    [InlineData("min_p", 0.99f)]
    [InlineData("top_p", 1e-6f)]
    [InlineData("top_p", 1f)]
    [InlineData("repetition_penalty", 1f)]
    [InlineData("repetition_penalty", 2f)]
    [InlineData("cfg_weight", 0f)]
    [InlineData("cfg_weight", 10f)]
    [InlineData("exaggeration", 0f)]
    [InlineData("exaggeration", 3f)]
    [InlineData("max_new_tokens", 1f)]
    [InlineData("max_new_tokens", 4096f)]
    public void Validate_BoundaryValues_Pass(string setting, float value)
    {
        With(setting, value).Validate();
    }

    [Fact]
    public void Validate_Message_IsCultureInvariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");

            var error = Assert.Throws<InferenceException>(new SamplingOptions { TopP = 1.5f }.Validate);

            Assert.Contains("got 1.5.", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    private static SamplingOptions With(string setting, float value) => setting switch
    {
        "temperature" => new SamplingOptions { Temperature = value },
        "min_p" => new SamplingOptions { MinP = value },
        "top_p" => new SamplingOptions { TopP = value },
        "repetition_penalty" => new SamplingOptions { RepetitionPenalty = value },
        "cfg_weight" => new SamplingOptions { CfgWeight = value },
        "exaggeration" => new SamplingOptions { Exaggeration = value },
        "max_new_tokens" => new SamplingOptions { MaxNewTokens = (int)value },
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };
}
