using k8s;
using k8s.Models;

namespace Sawt.Deployment.Tests;

/// <summary>The objects of one resolved kustomization, as the Kubernetes client's model types.</summary>
internal sealed class ManifestSet(string name, IReadOnlyList<object> objects)
{
    /// <summary>A pod template and the workload that owns it.</summary>
    public sealed record Workload(string Kind, string Name, V1LabelSelector Selector, V1PodTemplateSpec Template);

    public string Name { get; } = name;

    public IReadOnlyList<object> Objects { get; } = objects;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name)
        where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(All<T>(), o => o.Metadata.Name == name);

    /// <summary>Finds an object by kind and name, or null.</summary>
    public T? Find<T>(string name)
        where T : class, IMetadata<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    public IEnumerable<Workload> Workloads =>
        All<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata.Name, d.Spec.Selector, d.Spec.Template))
            .Concat(All<V1StatefulSet>().Select(s => new Workload("StatefulSet", s.Metadata.Name, s.Spec.Selector, s.Spec.Template)))
            .Concat(All<V1DaemonSet>().Select(s => new Workload("DaemonSet", s.Metadata.Name, s.Spec.Selector, s.Spec.Template)));

    /// <summary>The silo Deployment's template and its one container.</summary>
    public (V1PodTemplateSpec Template, V1Container Container) Silo
    {
        get
        {
            var template = Single<V1Deployment>("sawt-silo").Spec.Template;
            return (template, Assert.Single(template.Spec.Containers, c => c.Name == "silo"));
        }
    }

    /// <summary>A key of the sawt-config ConfigMap, as the processes read it.</summary>
    public string Config(string key) =>
        Single<V1ConfigMap>("sawt-config").Data.TryGetValue(key, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"{Name}: sawt-config has no key {key}.");

    public override string ToString() => Name;
}
