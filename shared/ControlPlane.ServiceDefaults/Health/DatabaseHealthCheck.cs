using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.ServiceDefaults.Health;

/// <summary>Ready only once the schema is migrated and the database answers now.</summary>
public sealed class DatabaseHealthCheck(DatabaseStatus status, IEnumerable<MigrationTarget> targets, IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.IsMigrated)
        {
            return HealthCheckResult.Unhealthy($"not migrated: {status.LastError}");
        }
        var target = targets.FirstOrDefault();
        if (target is null)
        {
            return HealthCheckResult.Healthy("no database in this service");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(target.ContextType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await db.Database.CanConnectAsync(timeout.Token)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("database did not answer within 3 s");
        }
    }
}
