using System.Text.Json;

namespace Sawt.Deployment.Tests;

/// <summary>
/// The container settings MSBuild computes for a project (the SDK's ComputeContainerConfig target, which reads no
/// registry): what <c>dotnet publish /t:PublishContainer</c> would build, checked without pulling a base image.
/// </summary>
internal sealed class ContainerProperties
{
    private static readonly string[] Properties = ["ContainerRepository", "ContainerBaseImage", "ContainerUser", "ContainerRuntimeIdentifier", "ContainerWorkingDirectory"];
    private static readonly string[] Items = ["ContainerImageTags", "ContainerPort", "ContainerEnvironmentVariables", "ContainerLabel"];
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private readonly JsonElement _root;

    private ContainerProperties(JsonElement root) => _root = root;

    public string this[string property] => _root.GetProperty("Properties").GetProperty(property).GetString() ?? string.Empty;

    public IReadOnlyList<string> Tags => Identities("ContainerImageTags");

    public IReadOnlyList<int> Ports => Identities("ContainerPort").Select(int.Parse).ToList();

    public IReadOnlyDictionary<string, string> Environment => Pairs("ContainerEnvironmentVariables");

    public IReadOnlyDictionary<string, string> Labels => Pairs("ContainerLabel");

    public static async Task<ContainerProperties> EvaluateAsync(string project, IEnumerable<string> msbuildProperties, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "msbuild", project, "-t:ComputeContainerConfig", "-nologo", "-nodeReuse:false" };
        arguments.AddRange(msbuildProperties.Select(p => "-p:" + p));
        arguments.AddRange(Properties.Select(p => "-getProperty:" + p));
        arguments.AddRange(Items.Select(i => "-getItem:" + i));
        var result = await ToolProcess.RunAsync(Dotnet, arguments, Bound, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet msbuild {project} failed: {result}");
        }

        return new ContainerProperties(JsonDocument.Parse(result.Output).RootElement.Clone());
    }

    /// <summary>The dotnet host running this test, else the one on PATH.</summary>
    public static string Dotnet =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ToolProcess.Find("dotnet") ?? throw new InvalidOperationException("No dotnet on PATH.");

    private List<string> Identities(string item) =>
        [.. _root.GetProperty("Items").GetProperty(item).EnumerateArray().Select(e => e.GetProperty("Identity").GetString()!)];

    private Dictionary<string, string> Pairs(string item) =>
        _root.GetProperty("Items").GetProperty(item).EnumerateArray()
            .ToDictionary(e => e.GetProperty("Identity").GetString()!, e => e.GetProperty("Value").GetString()!);
}
