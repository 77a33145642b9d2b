using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Idempotency;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>How long a service's events stay replayable, and the lease its trimming runs under.</summary>
public sealed record EventLogTrimming<TContext>(string LeaseName, Func<TimeSpan> Retention) where TContext : DbContext;

/// <summary>
/// Forgets what a service keeps only for a while: the events older than its retention and, where the service
/// answers repeated requests from memory (idempotency), the requests as old, so a retried call is replayed as long
/// as its events can be. Every service's one trimming: one replica, under a lease. Deleting what expired is the same
/// whoever does it, so a holder that lost its lease needs no fencing here.
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

    protected override async Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<TContext>();
        var forgetBefore = Clock.GetUtcNow().UtcDateTime - trimming.Retention();
        await EventLogRetention.ForgetBeforeAsync(db, forgetBefore, cancellationToken);
        if (db.Model.FindEntityType(typeof(IdempotentRequest)) is not null)
        {
            await db.Set<IdempotentRequest>().Where(r => r.CreatedAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
