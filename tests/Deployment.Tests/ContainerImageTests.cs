using System.Globalization;
using k8s.Models;

namespace Sawt.Deployment.Tests;

/// <summary>
/// The images `dotnet publish /t:PublishContainer` builds, as far as this machine can check without pulling a base
/// image: the container settings MSBuild computes, their agreement with k8s/, and the publish output they would carry.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ContainerImageTests
{
    private const string AspNetBase = "mcr.microsoft.com/dotnet/aspnet:10.0-noble";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SiloImage_ByDefault_IsAspNetBased_NonRoot_WithOrleansPorts()
    {
        var image = await ContainerProperties.EvaluateAsync(RepositoryLayout.SiloProject, [], Token);

        Assert.Equal("sawt/silo", image["ContainerRepository"]);
        Assert.Equal(AspNetBase, image["ContainerBaseImage"]);
        Assert.Equal("linux-x64", image["ContainerRuntimeIdentifier"]);
        AssertNonRootUser(image);
        Assert.Equal([8080, 11111, 30000], image.Ports.Order());
        Assert.Equal("http://+:8080", image.Environment["Urls"]);
        Assert.Equal("silo", image.Labels["io.sawt.component"]);
        Assert.DoesNotContain(image.Tags, t => t.EndsWith("-cuda", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SiloImage_WithCudaBase_UsesTheCudaBaseImage_AndCudaTags()
    {
        var image = await ContainerProperties.EvaluateAsync(RepositoryLayout.SiloProject, ["SawtSiloBase=cuda", "SawtCudaBaseImage=registry.test/sawt/silo-cuda-base:1"], Token);

        Assert.Equal("registry.test/sawt/silo-cuda-base:1", image["ContainerBaseImage"]);
        Assert.NotEmpty(image.Tags);
        Assert.All(image.Tags, t => Assert.EndsWith("-cuda", t, StringComparison.Ordinal));
        AssertNonRootUser(image);
    }

    [Fact]
    public async Task SiloImage_WithAnUnknownBase_FailsTheBuild()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ContainerProperties.EvaluateAsync(RepositoryLayout.SiloProject, ["SawtSiloBase=cuda12"], Token));

        Assert.Contains("SawtSiloBase must be 'aspnet' or 'cuda'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayImage_IsAspNetBased_NonRoot_OnHttpOnly()
    {
        var image = await ContainerProperties.EvaluateAsync(RepositoryLayout.GatewayProject, [], Token);

        Assert.Equal("sawt/gateway", image["ContainerRepository"]);
        Assert.Equal(AspNetBase, image["ContainerBaseImage"]);
        AssertNonRootUser(image);
        Assert.Equal([8080], image.Ports);
        Assert.Equal("http://+:8080", image.Environment["Urls"]);
        Assert.Equal("gateway", image.Labels["io.sawt.component"]);
    }

    [Fact]
    public async Task Manifests_RunTheImagesTheProjectsPublish()
    {
        var silo = await ContainerProperties.EvaluateAsync(RepositoryLayout.SiloProject, [], Token);
        var cuda = await ContainerProperties.EvaluateAsync(RepositoryLayout.SiloProject, ["SawtSiloBase=cuda"], Token);
        var gateway = await ContainerProperties.EvaluateAsync(RepositoryLayout.GatewayProject, [], Token);
        var baseSet = await Kustomize.BuildAsync("base", Token);
        var gpuSet = await Kustomize.BuildAsync("overlays/gpu", Token);

        // Repository and tag: a tag the project publishes by default.
        AssertPublished(silo, baseSet.Silo.Container.Image);
        AssertPublished(cuda, gpuSet.Silo.Container.Image);
        var gatewayContainer = Assert.Single(baseSet.Single<V1Deployment>("sawt-gateway").Spec.Template.Spec.Containers);
        AssertPublished(gateway, gatewayContainer.Image);

        // Every port the manifests use is one the image exposes; and the pods run as the image's user.
        Assert.All(baseSet.Silo.Container.Ports, p => Assert.Contains(p.ContainerPort, silo.Ports));
        Assert.All(gatewayContainer.Ports, p => Assert.Contains(p.ContainerPort, gateway.Ports));
        Assert.Equal(long.Parse(silo["ContainerUser"], CultureInfo.InvariantCulture), baseSet.Silo.Template.Spec.SecurityContext.RunAsUser);
        Assert.Equal(long.Parse(gateway["ContainerUser"], CultureInfo.InvariantCulture), baseSet.Single<V1Deployment>("sawt-gateway").Spec.Template.Spec.SecurityContext.RunAsUser);
    }

    [Fact]
    public async Task PublishOutput_CarriesEachHostWithItsRuntime_TheGatewayWithoutOnnxRuntime()
    {
        var silo = await PublishAsync(RepositoryLayout.SiloProject);
        var gateway = await PublishAsync(RepositoryLayout.GatewayProject);
        try
        {
            Assert.True(File.Exists(Path.Combine(silo.FullName, "Sawt.Silo.dll")));
            Assert.True(File.Exists(Path.Combine(silo.FullName, "Sawt.Silo.runtimeconfig.json")));
            Assert.True(File.Exists(Path.Combine(silo.FullName, "Microsoft.ML.OnnxRuntime.dll")));
            Assert.NotEmpty(silo.EnumerateFiles("libonnxruntime.so", SearchOption.AllDirectories));
            Assert.True(File.Exists(Path.Combine(silo.FullName, "appsettings.json")));

            Assert.True(File.Exists(Path.Combine(gateway.FullName, "Sawt.Gateway.dll")));
            Assert.True(File.Exists(Path.Combine(gateway.FullName, "Sawt.Gateway.runtimeconfig.json")));
            Assert.Empty(gateway.EnumerateFiles("*onnxruntime*", SearchOption.AllDirectories));
        }
        finally
        {
            silo.Delete(recursive: true);
            gateway.Delete(recursive: true);
        }
    }

    private static void AssertNonRootUser(ContainerProperties image) =>
        Assert.True(long.TryParse(image["ContainerUser"], CultureInfo.InvariantCulture, out var uid) && uid > 0,
            $"ContainerUser '{image["ContainerUser"]}' must be a numeric non-root user (kubelet checks runAsNonRoot on numbers only).");

    private static void AssertPublished(ContainerProperties image, string reference)
    {
        var colon = reference.LastIndexOf(':');
        Assert.Equal(image["ContainerRepository"], reference[..colon]);
        Assert.Contains(reference[(colon + 1)..], image.Tags);
    }

    /// <summary>The project's publish output from its existing build (referenced by this project, so built first).</summary>
    private static async Task<DirectoryInfo> PublishAsync(string project)
    {
        var output = Directory.CreateTempSubdirectory("sawt-publish-");
        var result = await ToolProcess.RunAsync(ContainerProperties.Dotnet,
            ["publish", project, "--no-build", "-c", RepositoryLayout.BuildConfiguration, "-o", output.FullName, "-nologo", "-nodeReuse:false"],
            TimeSpan.FromMinutes(2), Token);
        Assert.True(result.ExitCode == 0, $"dotnet publish {project} failed: {result}");
        return output;
    }
}
