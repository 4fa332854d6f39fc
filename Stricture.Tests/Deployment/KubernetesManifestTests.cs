using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stricture.Ingest.Configuration;
using Stricture.Storage.Configuration;
using Stricture.Storage.S3;
using HostingDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace Stricture.Tests.Deployment;

/// <summary>
/// deploy/kubernetes, rendered overlay by overlay with <c>kubectl kustomize</c>: what the cluster
/// would run must be what the services serve and read, locked down, with secrets only referenced.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    [Theory]
    [MemberData(nameof(RenderedManifests.Overlays), MemberType = typeof(RenderedManifests))]
    public void Every_container_is_a_Stricture_service_and_sets_only_environment_variables_it_reads(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        Assert.NotEmpty(manifests.Containers());
        foreach (var container in manifests.Containers())
        {
            Assert.Contains(container.Name, ServiceSettings.KnownServices);
            foreach (var variable in manifests.Environment(container.Container))
            {
                Assert.True(ServiceSettings.IsReadBy(container.Name, variable.Name),
                    $"{overlay}: {container} sets {variable.Name} ({variable.Origin}), which {container.Name} does not read");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.Overlays), MemberType = typeof(RenderedManifests))]
    public void Probes_ask_the_health_endpoints_on_the_port_the_service_listens_on(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var container in manifests.Containers())
        {
            var port = ListenPort(container, manifests.PlainEnvironment(container.Container));
            Assert.Contains(port, ContainerPorts(container.Container).Values);

            var probes = new[] { ("livenessProbe", HostingDefaults.AlivenessEndpointPath), ("readinessProbe", HostingDefaults.HealthEndpointPath) };
            foreach (var (probe, path) in probes)
            {
                var httpGet = container.Container[probe]?["httpGet"] as JsonObject;
                Assert.True(httpGet is not null, $"{overlay}: {container} has no HTTP {probe}");
                Assert.Equal(path, (string?)httpGet["path"]);
                Assert.Equal(port, ResolvePort(container.Container, httpGet["port"]!));
                Assert.NotEqual("HTTPS", (string?)httpGet["scheme"]);
            }
            if (container.Container["startupProbe"]?["httpGet"] is JsonObject startup)
            {
                Assert.Equal(HostingDefaults.AlivenessEndpointPath, (string?)startup["path"]);
                Assert.Equal(port, ResolvePort(container.Container, startup["port"]!));
            }
        }

        // The Service reaches ingest on the same port.
        var ingest = manifests.Containers().Single(c => c.Name == "ingest");
        var service = manifests.Single("Service", "stricture-ingest");
        Assert.All(((JsonArray)service["spec"]!["ports"]!).Cast<JsonObject>(), servicePort =>
            Assert.Equal(ListenPort(ingest, manifests.PlainEnvironment(ingest.Container)), ResolvePort(ingest.Container, servicePort["targetPort"]!)));
        Assert.True(Selects((JsonObject)service["spec"]!["selector"]!, ingest.Workload), "the Service does not select the ingest pods");
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.Overlays), MemberType = typeof(RenderedManifests))]
    public void Containers_run_as_non_root_on_a_read_only_root_filesystem_with_requests_and_limits(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var container in manifests.Containers())
        {
            var pod = container.Pod["securityContext"] as JsonObject ?? [];
            var own = container.Container["securityContext"] as JsonObject ?? [];
            Assert.True(Effective("runAsNonRoot") is true, $"{overlay}: {container} may run as root");
            Assert.NotEqual(0L, Effective("runAsUser") ?? 1L);
            Assert.True((bool?)own["readOnlyRootFilesystem"] is true, $"{overlay}: {container} has a writable root filesystem");
            Assert.True((bool?)own["allowPrivilegeEscalation"] is false, $"{overlay}: {container} allows privilege escalation");
            Assert.Contains("ALL", ((JsonArray?)own["capabilities"]?["drop"] ?? []).Select(c => (string?)c));
            Assert.True((bool?)container.Pod["automountServiceAccountToken"] is false, $"{overlay}: {container} mounts a service-account token it never uses");

            // A read-only root needs writable mounts: /tmp (the S3 driver stages uploads there) and the data directory.
            var mounts = ((JsonArray?)container.Container["volumeMounts"] ?? []).Cast<JsonObject>().ToList();
            Assert.Contains(mounts, m => (string?)m["mountPath"] == "/tmp" && (bool?)m["readOnly"] is not true);
            var dataDirectory = manifests.PlainEnvironment(container.Container).GetValueOrDefault(StorageOptions.DataDirectorySetting);
            Assert.True(dataDirectory is not null && Path.IsPathRooted(dataDirectory), $"{overlay}: {container} has no absolute {StorageOptions.DataDirectorySetting}");
            Assert.Contains(mounts, m => (string?)m["mountPath"] == dataDirectory && (bool?)m["readOnly"] is not true);

            foreach (var section in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Container["resources"]?[section]?[resource] is not null, $"{overlay}: {container} has no {resource} {section}");
                }
            }

            object? Effective(string key) => (own[key] ?? pod[key]) switch
            {
                null => null,
                var node when node.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => (bool)node,
                var node => (long)node,
            };
        }
    }

    [Theory]
    [MemberData(nameof(RenderedManifests.Overlays), MemberType = typeof(RenderedManifests))]
    public void Secrets_are_referenced_never_inlined(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        Assert.Empty(manifests.OfKind("Secret"));
        foreach (var container in manifests.Containers())
        {
            Assert.DoesNotContain(((JsonArray?)container.Container["envFrom"] ?? []).Cast<JsonObject>(), source => source["secretRef"] is not null);
            foreach (var variable in manifests.Environment(container.Container))
            {
                if (LooksSecret(variable.Name))
                {
                    Assert.True(variable.ValueFrom?["secretKeyRef"] is JsonObject reference && reference["name"] is not null && reference["key"] is not null,
                        $"{overlay}: {container} sets {variable.Name} ({variable.Origin}) without a secretKeyRef");
                }
                else
                {
                    Assert.True(variable.ValueFrom is null || variable.ValueFrom["secretKeyRef"] is not null || variable.ValueFrom["fieldRef"] is not null,
                        $"{overlay}: {container} reads {variable.Name} from an unexpected source");
                }
            }
        }
        var ingest = manifests.Containers().Single(c => c.Name == "ingest");
        var token = manifests.Environment(ingest.Container).Single(v => v.Name == AuthOptions.IngestTokenSetting);
        Assert.Equal("stricture-ingest-token", (string?)token.ValueFrom!["secretKeyRef"]!["name"]);
        Assert.Equal("token", manifests.PlainEnvironment(ingest.Container)[AuthOptions.ModeSetting]);
    }

    [Fact]
    public void The_s3_overlay_is_a_stateless_autoscaled_ingest_with_a_disruption_budget()
    {
        var manifests = RenderedManifests.Of("s3");
        var ingest = manifests.Containers().Single();
        Assert.Equal("ingest", ingest.Name);
        Assert.Equal("s3", manifests.PlainEnvironment(ingest.Container)[StorageOptions.DriverSetting]);
        Assert.NotNull(manifests.PlainEnvironment(ingest.Container).GetValueOrDefault(S3StoreSettings.BucketSetting));
        Assert.Empty(manifests.OfKind("PersistentVolumeClaim"));
        Assert.DoesNotContain(((JsonArray)ingest.Pod["volumes"]!).Cast<JsonObject>(), volume => volume["persistentVolumeClaim"] is not null);
        // The autoscaler owns the replica count.
        Assert.Null(ingest.Workload["spec"]!["replicas"]);

        var autoscaler = manifests.OfKind("HorizontalPodAutoscaler").Single();
        Assert.Equal("Deployment", (string?)autoscaler["spec"]!["scaleTargetRef"]!["kind"]);
        Assert.Equal(RenderedManifests.Name(ingest.Workload), (string?)autoscaler["spec"]!["scaleTargetRef"]!["name"]);
        Assert.True((long)autoscaler["spec"]!["minReplicas"]! >= 2);

        var budget = manifests.OfKind("PodDisruptionBudget").Single();
        Assert.True(Selects((JsonObject)budget["spec"]!["selector"]!["matchLabels"]!, ingest.Workload), "the PodDisruptionBudget does not select the ingest pods");
    }

    [Fact]
    public void The_mirror_overlay_runs_ingest_and_the_replicator_on_one_persistent_volume()
    {
        var manifests = RenderedManifests.Of("mirror");
        var containers = manifests.Containers().ToDictionary(c => c.Name);
        Assert.Equal(new[] { "ingest", "replicator" }, containers.Keys.Order());
        var claim = RenderedManifests.Name(manifests.OfKind("PersistentVolumeClaim").Single());

        var dataDirectories = new HashSet<string>();
        foreach (var container in containers.Values)
        {
            var environment = manifests.PlainEnvironment(container.Container);
            Assert.Equal("mirror", environment[StorageOptions.DriverSetting]);
            var dataDirectory = environment[StorageOptions.DataDirectorySetting];
            dataDirectories.Add(dataDirectory);
            var mount = ((JsonArray)container.Container["volumeMounts"]!).Cast<JsonObject>().Single(m => (string?)m["mountPath"] == dataDirectory);
            var volume = ((JsonArray)container.Pod["volumes"]!).Cast<JsonObject>().Single(v => (string?)v["name"] == (string?)mount["name"]);
            Assert.Equal(claim, (string?)volume["persistentVolumeClaim"]?["claimName"]);
            Assert.Null(volume["emptyDir"]);
            // One writer per data directory: a single replica, and the old pod gone before the new one starts.
            Assert.Equal(1L, (long?)container.Workload["spec"]!["replicas"]);
            Assert.Equal("Recreate", (string?)container.Workload["spec"]!["strategy"]?["type"]);
        }
        Assert.Single(dataDirectories);
        Assert.Empty(manifests.OfKind("HorizontalPodAutoscaler"));

        // Both read the same storage settings: the same bucket and prefix.
        foreach (var key in new[] { S3StoreSettings.BucketSetting, StorageOptions.ObjectPrefixSetting })
        {
            Assert.Single(containers.Values.Select(c => manifests.PlainEnvironment(c.Container).GetValueOrDefault(key)).Distinct());
        }

        // A ReadWriteOnce volume: the replicator must land on the ingest pod's node.
        var accessModes = ((JsonArray)manifests.OfKind("PersistentVolumeClaim").Single()["spec"]!["accessModes"]!).Select(m => (string?)m);
        if (!accessModes.Contains("ReadWriteMany"))
        {
            var affinity = (JsonArray?)containers["replicator"].Pod["affinity"]?["podAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"];
            Assert.True(affinity?.Cast<JsonObject>().Any(term =>
                (string?)term["topologyKey"] == "kubernetes.io/hostname" &&
                Selects((JsonObject)term["labelSelector"]!["matchLabels"]!, containers["ingest"].Workload)) is true,
                "with a ReadWriteOnce volume the replicator needs a required pod affinity to the ingest pods' node");
        }
    }

    /// <summary>The port the service listens on, from the environment the manifest gives it.</summary>
    internal static int ListenPort(PodContainer container, IReadOnlyDictionary<string, string> environment)
    {
        if (container.Name == "ingest")
        {
            Assert.True(environment.TryGetValue(ServerOptions.AddressSetting, out var text), $"{container} sets no {ServerOptions.AddressSetting}");
            Assert.True(ListenAddress.TryParse(text, out var address, out var error), error);
            Assert.False(address.IsLoopback, $"{container} listens on loopback ({text}); the kubelet probes the pod IP");
            return address.Port;
        }
        if (environment.TryGetValue("ASPNETCORE_URLS", out var urls) && urls.Length > 0)
        {
            var uri = new Uri(urls.Split(';')[0].Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
            Assert.True(uri.Host is "0.0.0.0" or "[::]", $"{container} listens on {uri.Host}; the kubelet probes the pod IP");
            return uri.Port;
        }
        if (environment.TryGetValue("ASPNETCORE_HTTP_PORTS", out var ports) && int.TryParse(ports, out var port))
        {
            return port;
        }
        throw new Xunit.Sdk.XunitException($"{container} sets neither ASPNETCORE_URLS nor ASPNETCORE_HTTP_PORTS, and the replicator's default is loopback");
    }

    private static Dictionary<string, int> ContainerPorts(JsonObject container) =>
        ((JsonArray?)container["ports"] ?? []).Cast<JsonObject>()
            .ToDictionary(p => (string?)p["name"] ?? $"#{(long)p["containerPort"]!}", p => (int)(long)p["containerPort"]!);

    private static int ResolvePort(JsonObject container, JsonNode port) =>
        port.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (int)(long)port
            : ContainerPorts(container).TryGetValue((string)port!, out var number) ? number : throw new Xunit.Sdk.XunitException($"no container port named {port}");

    private static bool Selects(JsonObject matchLabels, JsonObject workload)
    {
        var labels = (JsonObject)workload["spec"]!["template"]!["metadata"]!["labels"]!;
        return matchLabels.Count > 0 && matchLabels.All(pair => (string?)labels[pair.Key] == (string?)pair.Value);
    }

    /// <summary>Credentials, and connection strings (which carry them); a <c>*_FILE</c> setting names a mounted file instead.</summary>
    private static bool LooksSecret(string name) => SecretName().IsMatch(name) && !name.EndsWith("_FILE", StringComparison.Ordinal);

    [GeneratedRegex("TOKEN|SECRET|PASSWORD|ACCESS_KEY|^ConnectionStrings__", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
