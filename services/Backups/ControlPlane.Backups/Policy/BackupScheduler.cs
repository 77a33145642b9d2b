using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// The policy work, done by exactly one replica under the "backups-scheduler" lease with every write fenced:
/// end orphaned operations, queue due backups and verifications, apply retention, judge freshness.
/// </summary>
public sealed class BackupScheduler(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> hostOptions,
    IOptions<BackupsOptions> options,
    TimeProvider clock,
    ILogger<BackupScheduler> logger)
    : LeasedJob<BackupsDbContext>(scopes, database, hostOptions, clock, logger)
{
    protected override string LeaseName => "backups-scheduler";

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        await services.GetRequiredService<OrphanReaper>().RunAsync(lease, now, cancellationToken);
        await services.GetRequiredService<ScheduleRunner>().RunAsync(lease, now, cancellationToken);
        await services.GetRequiredService<RetentionEnforcer>().RunAsync(lease, now, cancellationToken);
        await services.GetRequiredService<FreshnessMonitor>().RunAsync(lease, now, cancellationToken);
    }
}
