using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Access.Tests;

/// <summary>
/// The four services in one host (as AllInOne composes them) on SQLite and the in-memory bus, with one API key per
/// role made through the Access API, as an admin makes them.
/// </summary>
public sealed class Suite : IAsyncDisposable
{
    private Suite(InProcessHost host, string repository, IReadOnlyDictionary<string, string> tokens)
    {
        Host = host;
        Repository = repository;
        Tokens = tokens;
    }

    public InProcessHost Host { get; }
    public string Repository { get; }

    /// <summary>Bearer token by role: viewer, agent, operator, and admin (a database key, not the configured one).</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    public static async Task<Suite> StartAsync()
    {
        var repository = InProcessHost.NewFolder();
        var host = await InProcessHost.StartAsync(
            b => b.AddRegistry().AddHealthProbe().AddBackups().AddRollouts(),
            app =>
            {
                app.MapRegistry();
                app.MapHealthProbe();
                app.MapBackups();
                app.MapRollouts();
            },
            new Dictionary<string, string?> { ["Backups:RepositoryPath"] = repository });
        var access = new Api.V1.Access.AccessClient(host.Channel);
        var tokens = new Dictionary<string, string>();
        foreach (var (name, role) in new[] { ("viewer", Role.Viewer), ("agent", Role.Agent), ("operator", Role.Operator), ("admin", Role.Admin) })
        {
            var created = await access.CreateApiKeyAsync(new CreateApiKeyRequest { Name = $"test-{name}", Role = role });
            tokens[name] = created.Token;
        }
        return new Suite(host, repository, tokens);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Repository, recursive: true);
    }
}
