using System.Security.Cryptography;
using ControlPlane.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Backups.Tests;

public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Registry and Backups in one host (as AllInOne composes them) on a fresh control-plane database, with an artifact
/// repository of the test's own that outlives the host, so a test can restart the host on the same backups.
/// </summary>
public sealed class BackupsHost : IAsyncDisposable
{
    private BackupsHost(InProcessHost host, EventRecorder events)
    {
        Host = host;
        Events = events;
        Client = new BackupsClient(host.Channel);
        Registry = new RegistryClient(host.Channel);
    }

    public InProcessHost Host { get; }
    public BackupsClient Client { get; }
    public RegistryClient Registry { get; }

    /// <summary>Backup events published on this host's bus.</summary>
    public EventRecorder Events { get; }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="controlPlane">The host's own database on PostgreSQL; null: SQLite in the host's folder.</param>
    public static async Task<BackupsHost> StartAsync(string repository, IDictionary<string, string?>? settings = null,
        PostgresDatabase? controlPlane = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Backups:RepositoryPath"] = repository,
            ["Backups:SchedulerInterval"] = "00:00:00.200",
        };
        if (controlPlane is not null)
        {
            all["ConnectionStrings:ControlPlane"] = controlPlane.ConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var events = new EventRecorder();
        var host = await InProcessHost.StartAsync(b =>
        {
            b.AddRegistry();
            b.AddBackups();
            b.Services.AddSingleton(events);
            b.AddBusModule(bus => bus.AddConsumer<RecordingConsumer>());
        }, a =>
        {
            a.MapRegistry();
            a.MapBackups();
        }, all);
        return new BackupsHost(host, events);
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
