using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// Marks instances whose lease ran out EXPIRED and removes those expired for longer than the grace period. One
/// replica does it, under the "registry-reaper" lease, fencing every write.
/// </summary>
public sealed class LeaseReaper(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> hostOptions,
    IOptions<RegistryOptions> options,
    TimeProvider clock,
    ILogger<LeaseReaper> logger)
    : LeasedJob<RegistryDbContext>(scopes, database, hostOptions, clock, logger)
{
    private const int Batch = 500;

    protected override string LeaseName => "registry-reaper";

    protected override TimeSpan Interval => options.Value.ReaperInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<RegistryDbContext>();
        var writer = services.GetRequiredService<RegistryWriter>();
        var now = Clock.GetUtcNow().UtcDateTime;
        // Renewals reach the database up to one flush interval late: judge expiry with that grace (twice, for safety).
        var expireBefore = now - 2 * options.Value.HeartbeatFlushInterval;
        var removeBefore = now - options.Value.RemoveExpiredAfter;

        var toExpire = await db.Instances.AsNoTracking()
            .Where(i => i.State == InstanceStatus.Active && i.LeaseExpiresAt < expireBefore)
            .OrderBy(i => i.LeaseExpiresAt).Take(Batch).Select(i => i.InstanceId).ToListAsync(cancellationToken);
        if (toExpire.Count > 0)
        {
            await writer.WriteAsync(async write =>
            {
                var instances = await write.Db.Instances
                    .Where(i => toExpire.Contains(i.InstanceId) && i.State == InstanceStatus.Active && i.LeaseExpiresAt < expireBefore)
                    .ToListAsync(cancellationToken);
                foreach (var instance in instances)
                {
                    instance.State = InstanceStatus.Expired;
                    instance.ExpiredAt = write.Now;
                    var expiredAt = new DateTimeOffset(RegistryMapping.Utc(instance.LeaseExpiresAt));
                    write.Emit(InstanceEventType.Expired, instance, "lease expired",
                        rev => new InstanceExpired(instance.InstanceId, instance.App, expiredAt, rev, write.NowOffset));
                    RegistryLog.InstanceExpired(logger, instance.InstanceId, instance.App);
                }
                return instances.Count;
            }, cancellationToken, lease);
        }

        var toRemove = await db.Instances.AsNoTracking()
            .Where(i => i.State == InstanceStatus.Expired && i.ExpiredAt < removeBefore)
            .OrderBy(i => i.ExpiredAt).Take(Batch).Select(i => i.InstanceId).ToListAsync(cancellationToken);
        if (toRemove.Count > 0)
        {
            await writer.WriteAsync(async write =>
            {
                var instances = await write.Db.Instances
                    .Where(i => toRemove.Contains(i.InstanceId) && i.State == InstanceStatus.Expired)
                    .ToListAsync(cancellationToken);
                foreach (var instance in instances)
                {
                    const string reason = "removed: lease stayed expired";
                    write.Emit(InstanceEventType.Deregistered, instance, reason,
                        rev => new InstanceDeregistered(instance.InstanceId, instance.App, reason, rev, write.NowOffset));
                    write.Db.Instances.Remove(instance);
                    RegistryLog.InstanceRemoved(logger, instance.InstanceId, instance.App);
                }
                return instances.Count;
            }, cancellationToken, lease);
        }
    }
}
