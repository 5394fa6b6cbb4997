using k8s;
using YamlDotNet.Serialization;

namespace Sawt.Deployment.Tests;

/// <summary>Every file under <c>k8s/</c> on its own: it parses into the client's model types and is part of a kustomization.</summary>
[Trait("Category", "Unit")]
public sealed class ManifestFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> ManifestFiles => new(
        Directory.EnumerateFiles(RepositoryLayout.K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Select(f => Path.GetRelativePath(RepositoryLayout.K8s, f))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public async Task ManifestFile_ParsesIntoKubernetesModelTypes(string file)
    {
        var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.K8s, file), Token));

        Assert.NotEmpty(objects);
        foreach (var item in objects)
        {
            // A typed model (V1Deployment, ...), not a loose map: apiVersion and kind are ones the client knows.
            var typed = Assert.IsAssignableFrom<IKubernetesObject>(item);
            Assert.StartsWith("k8s.Models.", item.GetType().FullName, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(typed.Kind));
            Assert.False(string.IsNullOrEmpty(typed.ApiVersion));
        }
    }

    [Theory]
    [MemberData(nameof(ResolvedManifestTests.Kustomizations), MemberType = typeof(ResolvedManifestTests))]
    public async Task Kustomization_NamesExistingFiles_AndEveryFileBesideIt(string kustomization)
    {
        var directory = Path.Combine(RepositoryLayout.K8s, kustomization);
        var document = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(Path.Combine(directory, "kustomization.yaml"), Token));
        var named = new List<string>();
        foreach (var field in new[] { "resources", "bases", "patchesStrategicMerge" })
        {
            named.AddRange(document.TryGetValue(field, out var list) ? ((List<object>)list).Cast<string>() : []);
        }

        if (document.TryGetValue("configMapGenerator", out var generators))
        {
            named.AddRange(((List<object>)generators).Cast<Dictionary<object, object>>().SelectMany(g => ((List<object>)g["files"]).Cast<string>()));
        }

        foreach (var path in named)
        {
            Assert.True(File.Exists(Path.Combine(directory, path)) || Directory.Exists(Path.Combine(directory, path)), $"{kustomization}: {path} does not exist.");
        }

        var beside = Directory.EnumerateFiles(directory).Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.All(beside, file => Assert.Contains(file, named));
    }

    [Fact]
    public async Task FetchBundleScript_IsValidShell()
    {
        var sh = ToolProcess.Find("sh");
        Assert.NotNull(sh);

        var result = await ToolProcess.RunAsync(sh, ["-n", Path.Combine(RepositoryLayout.K8s, "base", "fetch-bundle.sh")], TimeSpan.FromSeconds(30), Token);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(ResolvedManifestTests.RequiredVariables(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.K8s, "base", "fetch-bundle.sh"), Token)));
    }
}
