using System.Reflection;
using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Health;

/// <summary>
/// /api/health in the spirit of Grafana's: who this replica is, what it runs, and the state of each
/// dependency. 503 when the database is failing, as a load balancer's full check expects.
/// </summary>
public static class ApiHealthEndpoint
{
    public static async Task<IResult> HandleAsync(
        HealthCheckService health, DatabaseStatus database, IOptions<ControlPlaneOptions> options, ServiceMode mode,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains("ready"), cancellationToken);
        string State(string name) => report.Entries.TryGetValue(name, out var entry) ? Describe(entry.Status) : "none";
        var databaseState = State("database");
        var body = new
        {
            version = Version,
            commit = Commit,
            instanceId = options.Value.InstanceId,
            mode = mode.HighAvailability ? "high-availability" : "single-instance",
            database = databaseState,
            databaseProvider = mode.DatabaseProvider.Name(),
            schemaVersion = database.SchemaVersions,
            bus = State("bus"),
            cache = mode.Cache is CacheKind.None or CacheKind.Memory ? mode.Cache.ToString().ToLowerInvariant() : State("cache"),
            cacheKind = mode.Cache.ToString().ToLowerInvariant(),
        };
        return Results.Json(body, statusCode: databaseState == "ok" ? 200 : 503);
    }

    private static string Describe(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "failing",
    };

    private static readonly string InformationalVersion =
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The SDK appends "+commit" to the informational version when the build knows the commit.</summary>
    public static string Version => InformationalVersion.Split('+')[0];

    public static string Commit => InformationalVersion.Contains('+') ? InformationalVersion.Split('+')[1] : "unknown";
}
