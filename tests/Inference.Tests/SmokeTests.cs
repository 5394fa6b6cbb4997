namespace Sawt.Inference.Tests;

[Trait("Category", "Unit")]
public sealed class SmokeTests
{
    [Fact]
    public void Build_Works_True()
    {
        Assert.Equal(4, 2 + 2);
    }
}
