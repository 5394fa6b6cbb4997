using k8s;

namespace Sawt.Deployment.Tests;

/// <summary>
/// Resolves a kustomization with <c>kubectl kustomize</c>, the kustomize built into kubectl: the manifests are written
/// for the old one in Debian's kubernetes-client (kubectl 1.20, kustomize v2.0), which .ci/run installs, and resolve
/// with newer ones too. Without kubectl the tests skip, except under CI=true where that fails.
/// </summary>
internal static class Kustomize
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    public static async Task<ManifestSet> BuildAsync(string kustomization, CancellationToken cancellationToken)
    {
        var kubectl = Environment.GetEnvironmentVariable("SAWT_KUBECTL") ?? ToolProcess.Find("kubectl");
        if (kubectl is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "kubectl is not installed; .ci/run installs it (apt-get install -y kubernetes-client).");
            Assert.Skip("kubectl is not installed (apt-get install -y kubernetes-client); set CI=true to make this a failure.");
        }

        var directory = Path.Combine(RepositoryLayout.K8s, kustomization);
        var result = await ToolProcess.RunAsync(kubectl!, ["kustomize", directory], Bound, cancellationToken);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {kustomization} failed: {result}");
        return new ManifestSet(kustomization, KubernetesYaml.LoadAllFromString(result.Output));
    }
}
