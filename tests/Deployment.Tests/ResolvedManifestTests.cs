using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Sawt.Cluster;
using StackExchange.Redis;

namespace Sawt.Deployment.Tests;

/// <summary>The base and each overlay, as kustomize resolves them: consistent, and wired to Sawt's own settings.</summary>
[Trait("Category", "Unit")]
public sealed class ResolvedManifestTests
{
    /// <summary>An address standing in for the pod IP Kubernetes substitutes into <c>$(POD_IP)</c>.</summary>
    private const string SamplePodIp = "10.1.2.3";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kustomizations => new(RepositoryLayout.Kustomizations);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Kustomization_Resolves_IntoConsistentObjects(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);

        Assert.Empty(ManifestChecks.Problems(set));
        set.Single<V1Namespace>("sawt");
        set.Single<V1StatefulSet>("sawt-redis");
        set.Single<V1Deployment>("sawt-silo");
        set.Single<V1Deployment>("sawt-gateway");
        set.Single<V1Ingress>("sawt");
        set.Single<V2HorizontalPodAutoscaler>("sawt-gateway");
        Assert.Equal(["sawt-gateway", "sawt-silo"], set.All<V1PodDisruptionBudget>().Select(b => b.Metadata.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Silo_CarriesOrleansKubernetesHosting_LabelsEnvironmentAndRbac(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);
        var (template, silo) = set.Silo;

        Assert.Equal(set.Config("Sawt__Cluster__ServiceId"), template.Metadata.Labels["orleans/serviceId"]);
        Assert.Equal(set.Config("Sawt__Cluster__ClusterId"), template.Metadata.Labels["orleans/clusterId"]);
        var env = silo.Env.Select((v, i) => (v, i)).ToDictionary(p => p.v.Name, p => (Variable: p.v, Index: p.i));
        Assert.Equal("metadata.name", env["POD_NAME"].Variable.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].Variable.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["POD_IP"].Variable.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/serviceId']", env["ORLEANS_SERVICE_ID"].Variable.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", env["ORLEANS_CLUSTER_ID"].Variable.ValueFrom.FieldRef.FieldPath);

        // $(POD_IP) expands only when POD_IP is defined earlier in the list; otherwise the silo gets the literal text.
        var advertised = env["Sawt__Cluster__AdvertisedAddress"];
        Assert.Equal("$(POD_IP)", advertised.Variable.Value);
        Assert.True(env["POD_IP"].Index < advertised.Index, "POD_IP must come before Sawt__Cluster__AdvertisedAddress.");

        // The silo's service account may list and watch the pods of its namespace (Orleans Kubernetes hosting).
        var binding = Assert.Single(set.All<V1RoleBinding>(), b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == template.Spec.ServiceAccountName));
        var role = set.Single<V1Role>(binding.RoleRef.Name);
        Assert.Contains(role.Rules, r => r.Resources.Contains("pods") && new[] { "get", "list", "watch" }.All(r.Verbs.Contains));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Configuration_BindsToSawtOptions_MatchingPortsAndTheRedisService(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);
        var (_, silo) = set.Silo;
        var configuration = ProcessConfiguration(set, silo);

        var cluster = SawtClusterOptions.From(configuration);
        Assert.False(cluster.EmbeddedGateway);
        Assert.Equal(SamplePodIp, cluster.AdvertisedAddress);
        Assert.True(IPAddress.TryParse(cluster.AdvertisedAddress, out _));
        Assert.Equal(cluster.SiloPort, Assert.Single(silo.Ports, p => p.Name == "orleans-silo").ContainerPort);
        Assert.Equal(cluster.GatewayPort, Assert.Single(silo.Ports, p => p.Name == "orleans-gateway").ContainerPort);

        // Silos and gateways read the same Redis, and it is the Redis Service of this set.
        var gateway = Assert.Single(set.Single<V1Deployment>("sawt-gateway").Spec.Template.Spec.Containers);
        var redis = SawtRedisOptions.ConnectionStringFrom(configuration);
        Assert.Equal(redis, SawtRedisOptions.ConnectionStringFrom(ProcessConfiguration(set, gateway)));
        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(ConfigurationOptions.Parse(redis!).EndPoints));
        var service = set.Single<V1Service>(endpoint.Host);
        Assert.Contains(service.Spec.Ports, p => p.Port == endpoint.Port);
        Assert.True(ManifestChecks.Selects(service.Spec.Selector, set.Single<V1StatefulSet>("sawt-redis").Spec.Template.Metadata.Labels));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Silo_FetchesTheBundleWhereItsWorkersReadIt(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);
        var (template, silo) = set.Silo;
        var fetch = Assert.Single(template.Spec.InitContainers, c => c.Name == "fetch-bundle");
        var bundle = set.Config("Sawt__Workers__BundlePath");

        Assert.Equal(bundle, fetch.Env.Single(v => v.Name == "BUNDLE_DIR").Value);
        var written = Assert.Single(fetch.VolumeMounts, m => bundle.StartsWith(m.MountPath + "/", StringComparison.Ordinal) && m.ReadOnlyProperty != true);
        var read = Assert.Single(silo.VolumeMounts, m => m.Name == written.Name);
        Assert.Equal(written.MountPath, read.MountPath);
        Assert.True(read.ReadOnlyProperty, "The silo only reads the bundle.");
        Assert.NotNull(Assert.Single(template.Spec.Volumes, v => v.Name == written.Name).PersistentVolumeClaim);

        // The script the init container runs is the one in the repository, and it gets every variable it requires.
        var scripts = Assert.Single(template.Spec.Volumes, v => v.ConfigMap is not null && fetch.VolumeMounts.Any(m => m.Name == v.Name));
        var script = set.Single<V1ConfigMap>(scripts.ConfigMap.Name).Data["fetch-bundle.sh"];
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.K8s, "base", "fetch-bundle.sh"), Token), script);
        Assert.Contains(fetch.Command, part => part.EndsWith("/fetch-bundle.sh", StringComparison.Ordinal));
        foreach (var required in RequiredVariables(script))
        {
            Assert.Contains(fetch.Env, v => v.Name == required);
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Redis_PersistsToItsVolume(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);
        var redis = set.Single<V1StatefulSet>("sawt-redis");
        var container = Assert.Single(redis.Spec.Template.Spec.Containers);
        var args = container.Args.ToList();

        Assert.Equal("yes", args[args.IndexOf("--appendonly") + 1]);
        Assert.Contains("--save", args);
        var dir = args[args.IndexOf("--dir") + 1];
        var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == dir);
        Assert.Contains(redis.Spec.VolumeClaimTemplates, t => t.Metadata.Name == mount.Name);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Hosts_ProbeTheirRealHealthEndpoints_AndIngressKeepsSocketsOpen(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);
        var gateway = Assert.Single(set.Single<V1Deployment>("sawt-gateway").Spec.Template.Spec.Containers);

        // The gateway answers them in src/Gateway/Http; a silo without the embedded gateway in src/Silo.
        foreach (var (container, source) in new[] { (gateway, "src/Gateway/Http/ProbeEndpoints.cs"), (set.Silo.Container, "src/Silo/SiloProbeEndpoints.cs") })
        {
            var endpoints = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, source), Token);
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
            Assert.Contains("MapGet(\"/healthz\"", endpoints, StringComparison.Ordinal);
            Assert.Contains("MapGet(\"/readyz\"", endpoints, StringComparison.Ordinal);
            Assert.Equal(container.LivenessProbe.HttpGet.Port.Value, container.ReadinessProbe.HttpGet.Port.Value);
            Assert.Equal("http://+:" + PortNumber(container, container.LivenessProbe.HttpGet.Port.Value), container.Env.Single(v => v.Name == "Urls").Value);
        }

        var annotations = set.Single<V1Ingress>("sawt").Metadata.Annotations;
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], CultureInfo.InvariantCulture) >= 3600);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"], CultureInfo.InvariantCulture) >= 3600);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Rollouts_KeepCapacity_AndShutdownFitsTheGracePeriod(string kustomization)
    {
        var set = await Kustomize.BuildAsync(kustomization, Token);

        foreach (var deployment in set.All<V1Deployment>())
        {
            Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            var shutdown = int.Parse(container.Env.Single(v => v.Name == "DOTNET_SHUTDOWNTIMEOUTSECONDS").Value, CultureInfo.InvariantCulture);
            Assert.InRange(shutdown, 1, deployment.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value - 1);

            // The drain ends with room to leave: a silo's before its host's shutdown timeout with 30 s to leave the
            // cluster, a gateway's with room for its close handshakes.
            var configuration = ProcessConfiguration(set, container);
            var drain = deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/component"] == "silo"
                ? SawtClusterOptions.From(configuration).DrainTimeout
                : configuration.GetValue<TimeSpan?>("Sawt:Gateway:DrainTimeout") ?? GatewayDefaultDrain;
            Assert.True(drain + LeaveRoom <= TimeSpan.FromSeconds(shutdown), $"{deployment.Metadata.Name}: drain {drain} + {LeaveRoom} exceeds the {shutdown} s shutdown timeout");
        }
    }

    /// <summary>GatewayOptions.DrainTimeout's default (the gateway project is not referenced here).</summary>
    private static readonly TimeSpan GatewayDefaultDrain = TimeSpan.FromSeconds(20);

    /// <summary>Time a process needs after its drain: a silo to leave the cluster, a gateway to close its sockets.</summary>
    private static readonly TimeSpan LeaveRoom = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What the process's configuration holds: the ConfigMaps it takes whole, then its own variables (later wins, as
    /// with Kubernetes), with <c>__</c> read as <c>:</c> as .NET's environment provider does.
    /// </summary>
    private static IConfiguration ProcessConfiguration(ManifestSet set, V1Container container)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in container.EnvFrom.Where(s => s.ConfigMapRef is not null))
        {
            foreach (var (key, value) in set.Single<V1ConfigMap>(source.ConfigMapRef.Name).Data)
            {
                values[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var variable in container.Env.Where(v => v.Value is not null))
        {
            values[variable.Name.Replace("__", ":", StringComparison.Ordinal)] = variable.Value.Replace("$(POD_IP)", SamplePodIp, StringComparison.Ordinal);
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static int PortNumber(V1Container container, string port) =>
        Assert.Single(container.Ports, p => p.Name == port || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == port).ContainerPort;

    /// <summary>The variables the script insists on (<c>${NAME:?}</c>).</summary>
    internal static IReadOnlyList<string> RequiredVariables(string script) =>
        Regex.Matches(script, @"\$\{(\w+):\?\}").Select(m => m.Groups[1].Value).Distinct().ToList();
}
