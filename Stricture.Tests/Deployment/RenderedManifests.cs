using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Stricture.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stricture.Tests.Deployment;

/// <summary>
/// One overlay of deploy/kubernetes as the cluster would receive it: rendered by
/// <c>kubectl kustomize</c> (kubectl is on the machines this project builds on) and parsed into
/// JSON nodes, with the environment of each container resolved from its <c>env</c> and the
/// ConfigMaps its <c>envFrom</c> names.
/// </summary>
public sealed class RenderedManifests
{
    public static readonly TheoryData<string> Overlays = new(["s3", "mirror"]);

    private static readonly ConcurrentDictionary<string, Lazy<RenderedManifests>> Rendered = new();

    private RenderedManifests(string overlay, IReadOnlyList<JsonObject> resources)
    {
        Overlay = overlay;
        Resources = resources;
    }

    public string Overlay { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    public static RenderedManifests Of(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<RenderedManifests>(() => Render(name))).Value;

    public IEnumerable<JsonObject> OfKind(string kind) => Resources.Where(r => (string?)r["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(r => Name(r) == name) ?? throw new Xunit.Sdk.XunitException($"{Overlay}: no {kind} named {name}");

    public static string Name(JsonObject resource) => (string)resource["metadata"]!["name"]!;

    /// <summary>Every container (and init container) of every workload, with its pod spec.</summary>
    public IEnumerable<PodContainer> Containers() =>
        from workload in Resources
        where (string?)workload["kind"] is "Deployment" or "StatefulSet" or "DaemonSet" or "Job"
        let pod = (JsonObject)workload["spec"]!["template"]!["spec"]!
        from list in new[] { "containers", "initContainers" }
        from container in (pod[list] as JsonArray ?? []).Cast<JsonObject>()
        select new PodContainer(workload, pod, container);

    /// <summary>The container's environment: its <c>env</c> entries and the keys of the ConfigMaps of its <c>envFrom</c>.</summary>
    public IReadOnlyList<EnvironmentEntry> Environment(JsonObject container)
    {
        var entries = new List<EnvironmentEntry>();
        foreach (var source in (container["envFrom"] as JsonArray ?? []).Cast<JsonObject>())
        {
            if (source["configMapRef"] is JsonObject configMapRef)
            {
                var configMap = Single("ConfigMap", (string)configMapRef["name"]!);
                entries.AddRange(((JsonObject?)configMap["data"] ?? []).Select(pair =>
                    new EnvironmentEntry(pair.Key, (string?)pair.Value, null, $"ConfigMap {Name(configMap)}")));
            }
            else
            {
                entries.Add(new EnvironmentEntry("(envFrom)", null, null, source.ToJsonString()));
            }
        }
        foreach (var variable in (container["env"] as JsonArray ?? []).Cast<JsonObject>())
        {
            var name = (string)variable["name"]!;
            entries.RemoveAll(entry => entry.Name == name);
            entries.Add(new EnvironmentEntry(name, (string?)variable["value"], variable["valueFrom"] as JsonObject, "env"));
        }
        return entries;
    }

    /// <summary>The container's environment as plain values (what the process would see), leaving out values from secrets.</summary>
    public Dictionary<string, string> PlainEnvironment(JsonObject container) =>
        Environment(container).Where(e => e.ValueFrom is null).ToDictionary(e => e.Name, e => e.Value ?? "");

    private static RenderedManifests Render(string overlay)
    {
        var directory = Repository.Path("deploy", "kubernetes", "overlays", overlay);
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                "kubectl is needed to render deploy/kubernetes (kubectl kustomize); install kubectl (any version with kustomize v5).", exception);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new InvalidOperationException($"kubectl kustomize {directory} did not finish in 60 s.");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {stderr.Result}");
            }
            var yaml = new YamlStream();
            yaml.Load(new StringReader(stdout.Result));
            return new RenderedManifests(overlay, yaml.Documents.Select(document => (JsonObject)ToJson(document.RootNode)!).ToList());
        }
    }

    /// <summary>YAML to JSON nodes: plain scalars become numbers, booleans and nulls as YAML 1.2's core schema reads them; quoted ones stay strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => scalar.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };
}

/// <summary>A container in the pod template of a workload.</summary>
public sealed record PodContainer(JsonObject Workload, JsonObject Pod, JsonObject Container)
{
    public string Name => (string)Container["name"]!;

    public override string ToString() => $"{RenderedManifests.Name(Workload)}/{Name}";
}

/// <summary>One environment variable: a literal value, or a reference (<c>valueFrom</c>); <c>Origin</c> says where it was set.</summary>
public sealed record EnvironmentEntry(string Name, string? Value, JsonObject? ValueFrom, string Origin);
