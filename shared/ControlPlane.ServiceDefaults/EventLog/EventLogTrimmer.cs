using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>How long a service's events stay replayable, and the lease its trimming runs under.</summary>
public sealed record EventLogTrimming<TContext>(string LeaseName, Func<TimeSpan> Retention) where TContext : DbContext;

/// <summary>
/// Trims the event log of a service that has no leased job of its own to do it in (HealthProbe, Rollouts;
/// Registry's reaper and Backups' scheduler trim theirs in their rounds). One replica trims, under a lease.
/// Deleting expired events is the same whoever does it, so a holder that lost its lease needs no fencing here.
/// </summary>
public sealed class EventLogTrimmer<TContext>(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> options,
    EventLogTrimming<TContext> trimming,
    TimeProvider clock,
    ILogger<EventLogTrimmer<TContext>> logger)
    : LeasedJob<TContext>(scopes, database, options, clock, logger)
    where TContext : DbContext
{
    protected override string LeaseName => trimming.LeaseName;

    /// <summary>
    /// A quarter of the retention, so the log holds at most that much beyond it, and at most 5 s: under the lease's TTL,
    /// so the holder keeps it from round to round. A round with nothing due costs one walk of the primary key.
    /// </summary>
    protected override TimeSpan Interval =>
        TimeSpan.FromTicks(Math.Clamp(trimming.Retention().Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));

    protected override Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken) =>
        EventLogRetention.ForgetBeforeAsync(services.GetRequiredService<TContext>(), Clock.GetUtcNow().UtcDateTime - trimming.Retention(),
            cancellationToken);
}
