using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>
/// Applies every owner's migrations at start and keeps retrying while the database is unreachable, so a
/// replica started before PostgreSQL is up reports not-ready instead of crashing. Replicas starting together
/// do not race: EF Core takes a database-wide migration lock (a lock table, no session advisory lock), so one
/// migrates and the others wait, then find nothing left to apply.
/// </summary>
public sealed class MigrationRunner(
    IServiceScopeFactory scopes,
    IEnumerable<MigrationTarget> targets,
    DatabaseStatus status,
    ILogger<MigrationRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        foreach (var target in targets.DistinctBy(t => t.ContextType))
        {
            while (true)
            {
                try
                {
                    await MigrateAsync(target, stoppingToken);
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    status.SetError($"{target.Owner}: {ex.GetBaseException().Message}");
                    ServiceLog.MigrationFailed(logger, target.Owner, delay, ex.GetBaseException().Message);
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }
        }
        status.MarkMigrated();
    }

    private async Task MigrateAsync(MigrationTarget target, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = (DbContext)scope.ServiceProvider.GetRequiredService(target.ContextType);
        if (context.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits; the setting is stored in the file.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            await context.Database.MigrateAsync(cancellationToken);
        }
        var applied = await context.Database.GetAppliedMigrationsAsync(cancellationToken);
        var version = applied.LastOrDefault() ?? "none";
        status.SetSchemaVersion(target.Owner, version);
        ServiceLog.SchemaReady(logger, target.Owner, version, pending.Count);
    }
}
