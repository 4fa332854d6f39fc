using System.Globalization;
using System.Runtime.InteropServices;
using Amazon.S3.Model;
using Stricture.ColdStart;
using Stricture.Storage.S3;

// Function-mode cold start: process start to the first invocation's response, for a bare ASP.NET
// Core app and for Stricture.Ingest, on the same adapter, the same emulated Runtime API and the
// same machine, interleaved round by round. Usage (bench/coldstart.sh builds the binaries):
//   Stricture.ColdStart --rounds N --variant NAME BARE_BINARY STRICTURE_BINARY [--variant ...]
// The S3 test server comes from the STRICTURE_TEST_S3_* variables (eval "$(eng/s3-test-server.sh start)").

var rounds = 15;
var variants = new List<(string Name, string Bare, string Stricture)>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length:
            rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--variant" when i + 3 < args.Length:
            variants.Add((args[i + 1], args[i + 2], args[i + 3]));
            i += 3;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
            return 2;
    }
}
if (variants.Count == 0)
{
    Console.Error.WriteLine("usage: Stricture.ColdStart [--rounds N] --variant NAME BARE_BINARY STRICTURE_BINARY [--variant ...]");
    return 2;
}

string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
    ? value
    : throw new InvalidOperationException($"{name} is not set: eval \"$(eng/s3-test-server.sh start)\" first.");
var endpoint = new Uri(Required("STRICTURE_TEST_S3_ENDPOINT"));
var accessKey = Required("STRICTURE_TEST_S3_ACCESS_KEY");
var secretKey = Required("STRICTURE_TEST_S3_SECRET_KEY");
var bucket = "stricture-cold-start-" + Guid.NewGuid().ToString("N")[..12];
using (var s3 = S3ClientFactory.Create(new S3StoreSettings { Bucket = bucket, Endpoint = endpoint, AccessKey = accessKey, SecretKey = secretKey }))
{
    await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
}

const string Token = "cold-start-token-0123456789abcdef";
var strictureSettings = new Dictionary<string, string>
{
    ["STRICTURE_SERVER_STORAGE_DRIVER"] = "s3",
    ["STRICTURE_SERVER_OBJECT_BUCKET"] = bucket,
    ["ConnectionStrings__minio"] = $"Endpoint={endpoint.GetLeftPart(UriPartial.Authority)};AccessKey={accessKey};SecretKey={secretKey}",
    ["STRICTURE_SERVER_AUTH_MODE"] = "token",
    ["STRICTURE_SERVER_INGEST_TOKEN"] = Token,
};
var none = new Dictionary<string, string>();
var bareObjectSettings = new Dictionary<string, string>
{
    ["BARE_S3_BUCKET"] = bucket,
    ["BARE_S3_ENDPOINT"] = endpoint.GetLeftPart(UriPartial.Authority),
    ["BARE_S3_ACCESS_KEY"] = accessKey,
    ["BARE_S3_SECRET_KEY"] = secretKey,
};

await using var runtime = await RuntimeApiEmulator.StartAsync();
var measurements = new List<(ColdStartSeries Series, Func<int, Task<ColdStartTime>> Measure)>();
foreach (var (index, (name, bare, stricture)) in variants.Index())
{
    var bareGet = new ColdStartSeries(name, "bare", "GET /healthz", []);
    var barePut = new ColdStartSeries(name, "bare + AWS SDK", "POST /objects/{key}: one S3 PUT", []);
    measurements.Add((bareGet, _ => ColdStartProbe.MeasureAsync(runtime, bare, none, FunctionEvents.Get("/healthz"), 200)));
    measurements.Add((new ColdStartSeries(name, "Stricture", "GET /healthz", [], bareGet),
        _ => ColdStartProbe.MeasureAsync(runtime, stricture, strictureSettings, FunctionEvents.Get("/healthz"), 200)));
    measurements.Add((barePut,
        round => ColdStartProbe.MeasureAsync(runtime, bare, bareObjectSettings, FunctionEvents.PutObject($"bare-{index}-{round}"), 202)));
    measurements.Add((new ColdStartSeries(name, "Stricture", "POST /v1/artifacts", [], barePut),
        round => ColdStartProbe.MeasureAsync(runtime, stricture, strictureSettings, FunctionEvents.PostArtifact(Token, $"cold-{index}-{round}"), 202)));
}

var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
// Round 0 warms the page cache and is not counted.
for (var round = 0; round <= rounds; round++)
{
    foreach (var (row, measure) in measurements)
    {
        var time = await measure(round);
        if (round > 0)
        {
            row.Times.Add(time);
        }
        Console.Error.WriteLine($"[{round}/{rounds}] {row.Variant} {row.App} {row.Invocation}: init {time.Initialised.TotalMilliseconds:0} ms, answered {time.Answered.TotalMilliseconds:0} ms, cpu {time.Cpu.TotalMilliseconds:0} ms");
    }
}

var machine = $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
              $"load average {loadBefore} before and {File.ReadAllText("/proc/loadavg").Split(' ')[0]} after";
var command = Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? "Stricture.ColdStart " + string.Join(' ', args);
Console.Out.Write(ColdStartReport.ToMarkdown(measurements.Select(m => m.Series).ToList(), command, machine, rounds));
return 0;
