using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The real ingest application (its Program), on real Kestrel bound to 127.0.0.1 on a free port,
/// with its own data directory. Tests talk to it over real HTTP.
/// </summary>
public sealed class IngestServer : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly TestDirectory? _ownedDirectory;

    private IngestServer(Factory factory, TestDirectory? ownedDirectory, string dataDirectory)
    {
        _factory = factory;
        _ownedDirectory = ownedDirectory;
        DataDirectory = dataDirectory;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.Single());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the server; <paramref name="services"/> adds registrations, such as a startup filter that watches requests arrive.</summary>
    public static IngestServer Start(IDictionary<string, string?>? settings = null, TimeProvider? time = null, string? dataDirectory = null,
        Action<IServiceCollection>? services = null)
    {
        var owned = dataDirectory is null ? new TestDirectory() : null;
        dataDirectory ??= owned!.Path;
        var all = new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_ADDR"] = "127.0.0.1:0",
            ["STRICTURE_SERVER_DATA_DIR"] = dataDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var factory = new Factory(all, time, services);
        try
        {
            factory.StartServer();
            return new IngestServer(factory, owned, dataDirectory);
        }
        catch
        {
            factory.Dispose();
            owned?.Dispose();
            throw;
        }
    }

    public string PathOf(string key) => Path.Combine(DataDirectory, key);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        _ownedDirectory?.Dispose();
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly IDictionary<string, string?> _settings;
        private readonly TimeProvider? _time;
        private readonly Action<IServiceCollection>? _services;

        public Factory(IDictionary<string, string?> settings, TimeProvider? time, Action<IServiceCollection>? services)
        {
            _settings = settings;
            _time = time;
            _services = services;
            UseKestrel();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            if (_time is not null)
            {
                builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_time)));
            }
            if (_services is not null)
            {
                builder.ConfigureServices(_services);
            }
        }
    }
}
