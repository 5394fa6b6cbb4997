using k8s.Models;

namespace Sawt.Deployment.Tests;

/// <summary>
/// Consistency rules any resolved set of manifests must keep, as a list of problems (empty: consistent). These are the
/// mistakes kubectl apply accepts and a cluster only shows at run time: a Service or budget selecting no pod, a probe
/// on a port the container does not have, a missing ConfigMap key, a binding to a role that is not there.
/// </summary>
internal static class ManifestChecks
{
    public static IReadOnlyList<string> Problems(ManifestSet set)
    {
        var problems = new List<string>();
        var workloads = set.Workloads.ToList();

        foreach (var workload in workloads)
        {
            var where = $"{workload.Kind} {workload.Name}";
            if (!Selects(workload.Selector.MatchLabels, workload.Template.Metadata.Labels))
            {
                problems.Add($"{where}: selector {Show(workload.Selector.MatchLabels)} does not match its pod labels {Show(workload.Template.Metadata.Labels)}.");
            }

            CheckPod(set, where, workload.Template.Spec, problems);
        }

        foreach (var service in set.All<V1Service>().Where(s => s.Spec.Selector is { Count: > 0 }))
        {
            var where = $"Service {service.Metadata.Name}";
            var selected = workloads.Where(w => Selects(service.Spec.Selector, w.Template.Metadata.Labels)).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"{where}: selector {Show(service.Spec.Selector)} matches no pod template.");
            }

            foreach (var port in service.Spec.Ports)
            {
                var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var workload in selected.Where(w => !w.Template.Spec.Containers.Any(c => HasPort(c, target))))
                {
                    problems.Add($"{where}: port {port.Name} targets {target}, which no container of {workload.Kind} {workload.Name} has.");
                }
            }
        }

        foreach (var budget in set.All<V1PodDisruptionBudget>())
        {
            if (!workloads.Any(w => Selects(budget.Spec.Selector.MatchLabels, w.Template.Metadata.Labels)))
            {
                problems.Add($"PodDisruptionBudget {budget.Metadata.Name}: selector {Show(budget.Spec.Selector.MatchLabels)} matches no pod template.");
            }
        }

        foreach (var policy in set.All<V1NetworkPolicy>())
        {
            if (!workloads.Any(w => Selects(policy.Spec.PodSelector.MatchLabels, w.Template.Metadata.Labels)))
            {
                problems.Add($"NetworkPolicy {policy.Metadata.Name}: selector {Show(policy.Spec.PodSelector.MatchLabels)} matches no pod template.");
            }
        }

        foreach (var autoscaler in set.All<V2HorizontalPodAutoscaler>())
        {
            var target = autoscaler.Spec.ScaleTargetRef;
            if (!workloads.Any(w => w.Kind == target.Kind && w.Name == target.Name))
            {
                problems.Add($"HorizontalPodAutoscaler {autoscaler.Metadata.Name}: target {target.Kind} {target.Name} does not exist.");
            }
        }

        foreach (var ingress in set.All<V1Ingress>())
        {
            foreach (var backend in ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service))
            {
                var service = set.Find<V1Service>(backend.Name);
                if (service is null)
                {
                    problems.Add($"Ingress {ingress.Metadata.Name}: backend Service {backend.Name} does not exist.");
                }
                else if (!service.Spec.Ports.Any(p => p.Name == backend.Port.Name || p.Port == backend.Port.Number))
                {
                    problems.Add($"Ingress {ingress.Metadata.Name}: Service {backend.Name} has no port {backend.Port.Name ?? backend.Port.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
                }
            }
        }

        foreach (var binding in set.All<V1RoleBinding>())
        {
            if (binding.RoleRef.Kind == "Role" && set.Find<V1Role>(binding.RoleRef.Name) is null)
            {
                problems.Add($"RoleBinding {binding.Metadata.Name}: Role {binding.RoleRef.Name} does not exist.");
            }

            foreach (var subject in binding.Subjects.Where(s => s.Kind == "ServiceAccount"))
            {
                var account = set.Find<V1ServiceAccount>(subject.Name);
                if (account is null || account.Metadata.NamespaceProperty != subject.NamespaceProperty)
                {
                    problems.Add($"RoleBinding {binding.Metadata.Name}: ServiceAccount {subject.NamespaceProperty}/{subject.Name} does not exist.");
                }
            }
        }

        var namespaces = set.All<V1Namespace>().Select(n => n.Metadata.Name).ToHashSet();
        foreach (var meta in set.Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace).Select(o => o.Metadata))
        {
            if (meta.NamespaceProperty is null || !namespaces.Contains(meta.NamespaceProperty))
            {
                problems.Add($"{meta.Name}: namespace '{meta.NamespaceProperty}' is not one of the set's namespaces ({string.Join(", ", namespaces)}).");
            }
        }

        return problems;
    }

    /// <summary>Whether every label of the selector is on the pod (an empty selector matches nothing here, on purpose).</summary>
    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>Whether the container has the port, by name or by number.</summary>
    public static bool HasPort(V1Container container, string port) =>
        container.Ports?.Any(p => p.Name == port || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port) == true;

    private static void CheckPod(ManifestSet set, string where, V1PodSpec pod, List<string> problems)
    {
        if (pod.ServiceAccountName is { } account && set.Find<V1ServiceAccount>(account) is null)
        {
            problems.Add($"{where}: ServiceAccount {account} does not exist.");
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.PersistentVolumeClaim is { } claim && set.Find<V1PersistentVolumeClaim>(claim.ClaimName) is null)
            {
                problems.Add($"{where}: volume {volume.Name} claims {claim.ClaimName}, which does not exist.");
            }

            if (volume.ConfigMap is { } map && map.Optional != true && set.Find<V1ConfigMap>(map.Name) is null)
            {
                problems.Add($"{where}: volume {volume.Name} mounts ConfigMap {map.Name}, which does not exist.");
            }

            if (volume.Secret is { } secret && secret.Optional != true && set.Find<V1Secret>(secret.SecretName) is null)
            {
                problems.Add($"{where}: volume {volume.Name} mounts Secret {secret.SecretName}, which does not exist.");
            }
        }

        var claimTemplates = set.All<V1StatefulSet>().Where(s => $"StatefulSet {s.Metadata.Name}" == where)
            .SelectMany(s => s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name);
        var volumes = (pod.Volumes ?? []).Select(v => v.Name).Concat(claimTemplates).ToHashSet();
        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var inContainer = $"{where} container {container.Name}";
            foreach (var (kind, probe) in new[] { ("liveness", container.LivenessProbe), ("readiness", container.ReadinessProbe), ("startup", container.StartupProbe) })
            {
                var port = probe?.HttpGet?.Port.Value ?? probe?.TcpSocket?.Port.Value;
                if (port is not null && !HasPort(container, port))
                {
                    problems.Add($"{inContainer}: {kind} probe on port {port}, which the container does not declare.");
                }
            }

            foreach (var mount in container.VolumeMounts ?? [])
            {
                if (!volumes.Contains(mount.Name))
                {
                    problems.Add($"{inContainer}: mounts volume {mount.Name}, which the pod does not have.");
                }
            }

            foreach (var variable in container.Env ?? [])
            {
                if (variable.ValueFrom?.ConfigMapKeyRef is { } mapKey && mapKey.Optional != true
                    && set.Find<V1ConfigMap>(mapKey.Name)?.Data?.ContainsKey(mapKey.Key) != true)
                {
                    problems.Add($"{inContainer}: {variable.Name} reads ConfigMap {mapKey.Name} key {mapKey.Key}, which does not exist.");
                }

                if (variable.ValueFrom?.SecretKeyRef is { } secretKey && secretKey.Optional != true
                    && !SecretHasKey(set.Find<V1Secret>(secretKey.Name), secretKey.Key))
                {
                    problems.Add($"{inContainer}: {variable.Name} reads Secret {secretKey.Name} key {secretKey.Key}, which does not exist.");
                }
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                if (source.ConfigMapRef is { } map && map.Optional != true && set.Find<V1ConfigMap>(map.Name) is null)
                {
                    problems.Add($"{inContainer}: environment from ConfigMap {map.Name}, which does not exist.");
                }

                if (source.SecretRef is { } secret && secret.Optional != true && set.Find<V1Secret>(secret.Name) is null)
                {
                    problems.Add($"{inContainer}: environment from Secret {secret.Name}, which does not exist.");
                }
            }
        }
    }

    private static bool SecretHasKey(V1Secret? secret, string key) =>
        secret is not null && ((secret.Data?.ContainsKey(key) ?? false) || (secret.StringData?.ContainsKey(key) ?? false));

    private static string Show(IDictionary<string, string>? labels) =>
        labels is null ? "{}" : "{" + string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}")) + "}";
}
