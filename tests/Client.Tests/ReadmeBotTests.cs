using Sawt.Client.Tests.Infrastructure;

namespace Sawt.Client.Tests;

[Trait("Category", "EndToEnd")]
public sealed class ReadmeBotTests(ClientClusterFixture cluster)
{
    [Fact]
    public async Task ReadmeBot_SpeaksAStreamedReply()
    {
        using var bound = Speech.Bound();
        var played = new List<AudioChunk>();

        await ReadmeBot.SpeakAsync(cluster.Host.BaseAddress, ClientClusterFixture.ApiKey, Speech.Stream("Sure", ", ", "here is ", "my answer."), played.Add, bound.Token);

        Assert.NotEmpty(played);
        Assert.True(played[^1].Metadata.IsFinal);
    }

    [Fact]
    public void Readme_ShowsTheCompiledBot()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllLines(Path.Combine(root, "tests", "Client.Tests", "ReadmeBot.cs"));
        var begin = Array.FindIndex(source, l => l.Trim() == "// README begin");
        var end = Array.FindIndex(source, l => l.Trim() == "// README end");
        var bot = source[(begin + 1)..end].Select(l => l.Trim());
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).Split('\n').Select(l => l.Trim());

        Assert.True(begin >= 0 && end > begin + 5);
        Assert.Contains(string.Join('\n', bot), string.Join('\n', readme), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("No Cluster.sln above the test's directory.");
    }
}
