using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// Writes the lease renewals this replica accepted, in one transaction per interval. Every replica runs one:
/// renewals live only where the heartbeat landed. A renewal never revives an instance already expired.
/// </summary>
public sealed class HeartbeatFlusher(
    IServiceScopeFactory scopes,
    InstanceLeaseCache cache,
    DatabaseStatus database,
    IOptions<RegistryOptions> options,
    ILogger<HeartbeatFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.HeartbeatFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what was accepted so agents do not lose their renewals.
            await FlushAsync(CancellationToken.None);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = cache.TakePending();
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (id, renewal) in batch)
            {
                await db.Instances
                    .Where(i => i.InstanceId == id && i.LeaseId == renewal.LeaseId && i.State == InstanceStatus.Active)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(i => i.LeaseExpiresAt, renewal.ExpiresAt)
                        .SetProperty(i => i.LastHeartbeatAt, renewal.HeartbeatAt), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            cache.Return(batch);
            RegistryLog.HeartbeatFlushFailed(logger, batch.Count, ex.GetBaseException().Message);
        }
    }
}
