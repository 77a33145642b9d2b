using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Registry.Tests;

public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>A Registry host on a fresh database of the given provider, with fast reaper and flush timings.</summary>
public sealed class RegistryHost : IAsyncDisposable
{
    private readonly PostgresDatabase? _database;

    private RegistryHost(InProcessHost host, PostgresDatabase? database)
    {
        Host = host;
        _database = database;
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var host = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), all);
        return new RegistryHost(host, database);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
