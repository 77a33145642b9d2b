using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// Runs on every replica: claims queued backups, verifications and restores (up to
/// Backups:MaxConcurrentOperations at a time) and runs them; meanwhile a heartbeat tells the other replicas they
/// are alive (see OrphanReaper) and carries DeleteBackup's cancellations to them. At shutdown running work is
/// cancelled and recorded as such.
/// </summary>
public sealed class OperationWorker(
    IServiceScopeFactory scopes,
    OperationSignal signal,
    RunningOperations running,
    DatabaseStatus database,
    IOptions<BackupsOptions> options,
    IOptions<ControlPlaneOptions> host,
    TimeProvider clock,
    ILogger<OperationWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        var tasks = new List<Task>();
        var heartbeat = HeartbeatAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                tasks.RemoveAll(t => t.IsCompleted);
                try
                {
                    while (tasks.Count < options.Value.MaxConcurrentOperations && await ClaimAsync(stoppingToken) is { } work)
                    {
                        tasks.Add(RunAsync(work, stoppingToken));
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    BackupsLog.OperationCrashed(logger, ex, "claim");
                }
                var wake = signal.WaitAsync(Poll, stoppingToken);
                await (tasks.Count > 0 ? Task.WhenAny(wake, Task.WhenAny(tasks)) : (Task)wake);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the running operations saw the same token and are recording their end.
        }
        finally
        {
            await Task.WhenAll(tasks);
            await heartbeat;
        }
    }

    private async Task<WorkItem?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OperationClaims>().ClaimNextAsync(cancellationToken);
    }

    private async Task RunAsync(WorkItem work, CancellationToken stoppingToken)
    {
        // Off the claim loop's thread: a runner's synchronous start must not hold up the next claim.
        await Task.Yield();
        using var operation = running.Start(work.Id, stoppingToken);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            switch (work.Kind)
            {
                case WorkKind.Backup:
                    await services.GetRequiredService<BackupRunner>().RunAsync(work.Id, operation);
                    break;
                case WorkKind.Verification:
                    await services.GetRequiredService<VerifyRunner>().RunAsync(work.Id, operation);
                    break;
                default:
                    await services.GetRequiredService<RestoreRunner>().RunAsync(work.Id, operation);
                    break;
            }
        }
        catch (Exception ex)
        {
            // Only the final write can land here (database gone): the orphan reaper will end the operation.
            BackupsLog.OperationCrashed(logger, ex, work.Id);
        }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, options.Value.OrphanAfter.Ticks / 3));
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (running.Count == 0)
                {
                    continue;
                }
                try
                {
                    await BeatAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    BackupsLog.OperationCrashed(logger, ex, "heartbeat");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
        var me = host.Value.InstanceId;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Backups.Where(b => b.Owner == me && (b.Status == BackupStatus.Running || b.VerificationStatus == VerificationStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.HeartbeatAt, now), cancellationToken);
        await db.Restores.Where(r => r.Owner == me && r.Status == RestoreStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now), cancellationToken);
        var cancelled = await db.Backups.AsNoTracking()
            .Where(b => b.Owner == me && b.CancelRequested && b.Status == BackupStatus.Running).Select(b => b.Id).ToListAsync(cancellationToken);
        foreach (var id in cancelled)
        {
            running.Cancel(id, "cancelled by DeleteBackup");
        }
    }
}
