using System.Reflection;

namespace Sawt.Deployment.Tests;

/// <summary>Where the repository's deployment files are, found from the test's own location.</summary>
internal static class RepositoryLayout
{
    /// <summary>The kustomizations the tests resolve: the base and every overlay, relative to <c>k8s/</c>.</summary>
    public static readonly string[] Kustomizations = ["base", "overlays/cpu-dev", "overlays/gpu"];

    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "k8s");

    public static string SiloProject => Path.Combine(Root, "src", "Silo", "Silo.csproj");

    public static string GatewayProject => Path.Combine(Root, "src", "Gateway", "Gateway.csproj");

    /// <summary>The configuration this test project was built in, which its referenced hosts were built in too.</summary>
    public static string BuildConfiguration { get; } = typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Sawt.BuildConfiguration").Value ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
