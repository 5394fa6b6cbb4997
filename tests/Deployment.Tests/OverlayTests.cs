using k8s.Models;

namespace Sawt.Deployment.Tests;

/// <summary>What each overlay changes: GPUs and the CUDA image for GPU nodes, none of that for a CPU dev cluster.</summary>
[Trait("Category", "Unit")]
public sealed class OverlayTests
{
    private const string Gpu = "nvidia.com/gpu";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gpu_SilosRequestAGpu_OnGpuNodes_FromTheCudaImage()
    {
        var set = await Kustomize.BuildAsync("overlays/gpu", Token);
        var (template, silo) = set.Silo;

        Assert.True(silo.Resources.Limits[Gpu].ToInt32() >= 1);
        Assert.Equal(silo.Resources.Limits[Gpu].ToInt32(), silo.Resources.Requests[Gpu].ToInt32());
        Assert.StartsWith("cuda:", set.Config("Sawt__Workers__Devices__0"), StringComparison.Ordinal);
        Assert.EndsWith("-cuda", silo.Image, StringComparison.Ordinal);
        Assert.Contains(template.Spec.Tolerations, t => t.Key == Gpu && t.OperatorProperty == "Exists");
        Assert.NotEmpty(template.Spec.NodeSelector);

        // Only silos hold GPUs.
        Assert.DoesNotContain(NonSiloContainers(set), RequestsGpu);
    }

    [Fact]
    public async Task CpuDev_RequestsNoGpu_AndRunsOneCpuSilo()
    {
        var set = await Kustomize.BuildAsync("overlays/cpu-dev", Token);
        var (template, silo) = set.Silo;

        Assert.DoesNotContain(set.Workloads.SelectMany(w => w.Template.Spec.Containers.Concat(w.Template.Spec.InitContainers ?? [])), RequestsGpu);
        Assert.Equal("cpu", set.Config("Sawt__Workers__Devices__0"));
        Assert.DoesNotContain("-cuda", silo.Image, StringComparison.Ordinal);
        Assert.Null(template.Spec.Tolerations);
        Assert.Equal(1, set.Single<V1Deployment>("sawt-silo").Spec.Replicas);
        Assert.Equal(["ReadWriteOnce"], set.Single<V1PersistentVolumeClaim>("sawt-bundles").Spec.AccessModes);
    }

    [Fact]
    public async Task Base_RequestsNoGpu()
    {
        var set = await Kustomize.BuildAsync("base", Token);

        Assert.DoesNotContain(set.Workloads.SelectMany(w => w.Template.Spec.Containers), RequestsGpu);
    }

    private static IEnumerable<V1Container> NonSiloContainers(ManifestSet set) =>
        set.Workloads.Where(w => w.Name != "sawt-silo").SelectMany(w => w.Template.Spec.Containers.Concat(w.Template.Spec.InitContainers ?? []));

    private static bool RequestsGpu(V1Container container) =>
        (container.Resources?.Limits?.ContainsKey(Gpu) ?? false) || (container.Resources?.Requests?.ContainsKey(Gpu) ?? false);
}
