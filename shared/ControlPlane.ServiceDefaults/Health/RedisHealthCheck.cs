using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ControlPlane.ServiceDefaults.Health;

/// <summary>A Redis outage degrades the service (reads go to the database); it never makes it unready.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("redis unreachable: reads are served from the database");
        }
    }
}
