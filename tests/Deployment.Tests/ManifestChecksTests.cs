using k8s.Models;

namespace Sawt.Deployment.Tests;

/// <summary>
/// The consistency rules catch what they are for: each test breaks one object of the resolved base the way a careless
/// edit would, and the rules must name it (the manifests themselves are clean, so without these nothing shows the
/// rules can fail).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ManifestChecksTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Problems_NameAServiceWhoseSelectorMatchesNoPod()
    {
        var set = await Kustomize.BuildAsync("base", Token);
        set.Single<V1Service>("sawt-gateway").Spec.Selector["app.kubernetes.io/name"] = "sawt-gateways";

        Assert.Contains(ManifestChecks.Problems(set), p => p.StartsWith("Service sawt-gateway: selector", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Problems_NameADeploymentWhosePodsLackItsSelectorLabel()
    {
        var set = await Kustomize.BuildAsync("base", Token);
        set.Single<V1Deployment>("sawt-silo").Spec.Template.Metadata.Labels.Remove("app.kubernetes.io/name");

        var problems = ManifestChecks.Problems(set);

        Assert.Contains(problems, p => p.StartsWith("Deployment sawt-silo: selector", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PodDisruptionBudget sawt-silo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Problems_NameAProbeOnAPortTheContainerLacks()
    {
        var set = await Kustomize.BuildAsync("base", Token);
        var gateway = set.Single<V1Deployment>("sawt-gateway").Spec.Template.Spec.Containers[0];
        gateway.Ports[0].Name = "web";

        var problems = ManifestChecks.Problems(set);

        Assert.Contains(problems, p => p.Contains("container gateway: liveness probe on port http", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Service sawt-gateway: port http targets http", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Problems_NameAMissingConfigMapKey_ButNotAnOptionalSecret()
    {
        var set = await Kustomize.BuildAsync("base", Token);
        var silo = set.Silo.Container;
        silo.Env.Add(new V1EnvVar
        {
            Name = "Sawt__Example",
            ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "sawt-config", Key = "no-such-key" } },
        });

        var problems = ManifestChecks.Problems(set);

        Assert.Contains(problems, p => p.Contains("Sawt__Example reads ConfigMap sawt-config key no-such-key", StringComparison.Ordinal));
        // The optional Secrets the base names (API keys, hub token) are absent by design and not problems.
        Assert.DoesNotContain(problems, p => p.Contains("Secret", StringComparison.Ordinal));
    }
}
