using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Stricture.Ingest.Configuration;
using Stricture.Storage.Configuration;
using Stricture.Storage.S3;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Deployment;

/// <summary>
/// Each overlay's containers, started as the real service processes on the environment their
/// manifest gives them: the settings must pass the services' start-up checks, and every probe path
/// must answer 200. Only what points at the cluster is replaced by this machine's equivalent (the
/// test S3 server and a bucket on it, a temporary data directory, a free loopback port, and test
/// values for the referenced secrets).
/// </summary>
public sealed class KubernetesServiceStartTests
{
    private static readonly string[] Probes = ["startupProbe", "livenessProbe", "readinessProbe"];

    [Theory]
    [MemberData(nameof(RenderedManifests.Overlays), MemberType = typeof(RenderedManifests))]
    public async Task Each_service_starts_on_its_manifest_environment_and_answers_its_probes(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var s3 = await S3TestServer.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        using var data = new TestDirectory();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var processes = new List<ServiceProcess>();
        try
        {
            foreach (var container in manifests.Containers().OrderBy(c => c.Name == "ingest" ? 0 : 1))
            {
                var environment = new Dictionary<string, string>();
                foreach (var variable in manifests.Environment(container.Container))
                {
                    if (variable.ValueFrom?["secretKeyRef"] is JsonObject reference)
                    {
                        if (SecretValue(reference, token, s3) is { } value)
                        {
                            environment[variable.Name] = value;
                        }
                    }
                    else
                    {
                        environment[variable.Name] = variable.Value ?? "";
                    }
                }
                environment[S3StoreSettings.BucketSetting] = bucket;
                environment[S3StoreSettings.EndpointSetting] = s3.Endpoint.ToString();
                environment[StorageOptions.DataDirectorySetting] = data.Path;
                environment.Remove(ServerOptions.AddressSetting);
                environment.Remove("ASPNETCORE_HTTP_PORTS");

                var process = container.Name == "ingest"
                    ? await ServiceProcess.StartIngestAsync(data.Path, environment)
                    : await ServiceProcess.StartReplicatorAsync(data.Path, environment);
                processes.Add(process);

                using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                foreach (var probe in Probes)
                {
                    if (container.Container[probe]?["httpGet"]?["path"] is JsonNode path)
                    {
                        var response = await client.GetAsync((string)path!);
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{overlay}: {container} answers its {probe} {path} with {(int)response.StatusCode}");
                    }
                }
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>What the operator puts in the Secrets the manifests reference (docs/deployment.md); null for an optional key left out.</summary>
    private static string? SecretValue(JsonObject reference, string token, S3TestServer s3) =>
        ((string?)reference["name"], (string?)reference["key"]) switch
        {
            ("stricture-ingest-token", "token") => token,
            ("stricture-object-store", "access-key-id") => s3.AccessKey,
            ("stricture-object-store", "secret-access-key") => s3.SecretKey,
            (_, _) when (bool?)reference["optional"] is true => null,
            var (name, key) => throw new Xunit.Sdk.XunitException($"secret {name}/{key} is not documented in docs/deployment.md"),
        };
}
