using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Registry.Tests;

public enum Provider
{
    Sqlite,
    Postgres,
    MariaDb,
}

/// <summary>A Registry host on a fresh database of the given provider, with fast reaper and flush timings.</summary>
public sealed class RegistryHost : IAsyncDisposable
{
    private readonly PostgresDatabase? _database;
    private readonly MariaDbDatabase? _mariaDb;

    private RegistryHost(InProcessHost host, PostgresDatabase? database, MariaDbDatabase? mariaDb)
    {
        Host = host;
        _database = database;
        _mariaDb = mariaDb;
        Client = new RegistryClient(host.Channel);
    }

    public InProcessHost Host { get; }

    public RegistryClient Client { get; }

    public PostgresDatabase? Database => _database;

    public static async Task<RegistryHost> StartAsync(Provider provider, IDictionary<string, string?>? settings = null,
        PostgresDatabase? database = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Registry:HeartbeatFlushInterval"] = "00:00:00.200",
            ["Registry:ReaperInterval"] = "00:00:00.200",
        };
        if (provider == Provider.Postgres)
        {
            database ??= await PostgresDatabase.CreateAsync();
            all["ConnectionStrings:ControlPlane"] = database.ConnectionString;
        }
        var mariaDb = provider == Provider.MariaDb ? await MariaDbDatabase.CreateAsync() : null;
        if (mariaDb is not null)
        {
            all["ConnectionStrings:ControlPlane"] = mariaDb.ConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        try
        {
            var host = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), all);
            return new RegistryHost(host, database, mariaDb);
        }
        catch
        {
            if (mariaDb is not null)
            {
                await mariaDb.DisposeAsync();
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        if (_mariaDb is not null)
        {
            await _mariaDb.DisposeAsync();
        }
    }
}
