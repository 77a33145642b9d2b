using System.Diagnostics;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.ServiceDefaults.Health;

/// <summary>A memcached outage degrades the service (reads go to the database); it never makes it unready.</summary>
public sealed class MemcachedHealthCheck(MemcachedClient memcached) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Also the probe that closes the client's circuit when memcached is back and no call has tried it yet.
            var started = Stopwatch.GetTimestamp();
            var version = await memcached.VersionAsync(cancellationToken);
            return HealthCheckResult.Healthy($"memcached {version}, {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is MemcachedUnavailableException or MemcachedCommandException)
        {
            return HealthCheckResult.Degraded("memcached unreachable: reads are served from the database");
        }
    }
}
