using ControlPlane.Backups.Data;
using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// Part of /readyz on every replica: DEGRADED (still ready: the service works, its backups are late) while any
/// enabled policy's target is stale, as recorded by the scheduler.
/// </summary>
public sealed class BackupsHealthCheck(IServiceScopeFactory scopes, DatabaseStatus database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!database.IsMigrated)
        {
            return HealthCheckResult.Healthy("database not ready yet (see the database check)");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
        var stale = await db.Policies.AsNoTracking().Where(p => p.Enabled && p.StaleSince != null)
            .OrderBy(p => p.TargetDatabase).Select(p => p.TargetDatabase).ToListAsync(cancellationToken);
        return stale.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"backups are stale for: {string.Join(", ", stale)}");
    }
}
