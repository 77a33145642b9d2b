using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Idempotency;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Registry.Domain;

/// <summary>Changes to instances. Requests arrive validated (see RegistryValidation).</summary>
public sealed class InstanceCommands(
    RegistryDbContext db,
    RegistryWriter writer,
    InstanceLeaseCache leases,
    IOptions<RegistryOptions> options,
    TimeProvider clock)
{
    public Task<RegisterInstanceResponse> RegisterAsync(RegisterInstanceRequest request, CancellationToken cancellationToken) =>
        writer.WriteAsync(async write =>
        {
            const string method = nameof(RegisterAsync);
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, RegisterInstanceResponse.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var app = await db.Apps.FindAsync([request.App], cancellationToken)
                ?? RpcErrors.ThrowNotFound<AppRecord>("app", request.App);
            var instance = await db.Instances.FindAsync([request.InstanceId], cancellationToken);
            var isNew = instance is null;
            if (instance is null)
            {
                var count = await db.Instances.CountAsync(i => i.App == request.App, cancellationToken);
                if (count >= options.Value.MaxInstancesPerApp)
                {
                    RpcErrors.ThrowFailedPrecondition($"app '{request.App}' already has {count} instances, the configured maximum");
                }
                instance = new InstanceRecord { InstanceId = request.InstanceId, RegisteredAt = write.Now };
                db.Instances.Add(instance);
            }
            var ttl = request.LeaseTtl is null ? options.Value.DefaultLeaseTtl : request.LeaseTtl.ToTimeSpan();
            instance.App = request.App;
            instance.Address = request.Address;
            instance.AgentAddress = request.AgentAddress;
            instance.Version = request.Version;
            instance.ConfigHash = request.ConfigHash;
            instance.Plugins = PluginSet.Normalize(request.Plugins);
            instance.SchemaVersion = request.SchemaVersion;
            instance.Labels = RegistryMapping.WriteLabels(request.Labels);
            instance.State = InstanceStatus.Active;
            instance.ExpiredAt = null;
            instance.LeaseId = Guid.NewGuid().ToString("N");
            instance.LeaseTtlMs = (long)ttl.TotalMilliseconds;
            instance.LeaseExpiresAt = write.Now + ttl;
            instance.LastHeartbeatAt = write.Now;
            write.Emit(InstanceEventType.Registered, instance, isNew ? "registered" : "registered again",
                revision => new InstanceRegistered(instance.InstanceId, instance.App, instance.Address, instance.Version,
                    instance.AgentAddress, revision, write.NowOffset));
            await db.SaveChangesAsync(cancellationToken);
            await DriftTracker.UpdateAsync(write, app, instance, cancellationToken);

            var response = new RegisterInstanceResponse { Instance = instance.ToApi(), LeaseId = instance.LeaseId };
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);

    /// <summary>
    /// Renews the lease in memory (written in batches by <see cref="HeartbeatFlusher"/>); only a changed status
    /// report takes the write path.
    /// </summary>
    public async Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var entry = await LeaseEntryAsync(request.InstanceId, cancellationToken);
        if (entry.LeaseId != request.LeaseId)
        {
            RpcErrors.ThrowNotFound("lease_id", $"{request.LeaseId}' of instance '{request.InstanceId}");
        }
        if (entry.State == InstanceStatus.Expired)
        {
            RpcErrors.ThrowFailedPrecondition($"the lease of instance '{request.InstanceId}' expired: register it again");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now + TimeSpan.FromMilliseconds(entry.LeaseTtlMs);
        leases.Renew(request.InstanceId, new InstanceLeaseCache.Renewal(request.LeaseId, expires, now));

        if (request.Status is { } report && StatusChanges(entry, report))
        {
            await ApplyStatusAsync(request.InstanceId, report, cancellationToken);
            entry = await LeaseEntryAsync(request.InstanceId, cancellationToken);
        }
        return new HeartbeatResponse { LeaseExpiresAt = Timestamp.FromDateTime(expires), Draining = entry.Draining };
    }

    public Task<DeregisterInstanceResponse> DeregisterAsync(DeregisterInstanceRequest request, CancellationToken cancellationToken) =>
        writer.WriteAsync(async write =>
        {
            const string method = nameof(DeregisterAsync);
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, DeregisterInstanceResponse.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var instance = await db.Instances.FindAsync([request.InstanceId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<InstanceRecord>("instance", request.InstanceId);
            var reason = request.Reason.Length > 0 ? request.Reason : "deregistered";
            var revision = write.Emit(InstanceEventType.Deregistered, instance, reason,
                rev => new InstanceDeregistered(instance.InstanceId, instance.App, reason, rev, write.NowOffset));
            db.Instances.Remove(instance);
            var response = new DeregisterInstanceResponse { Revision = revision };
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);

    public Task<Instance> SetDrainAsync(SetDrainRequest request, CancellationToken cancellationToken) =>
        writer.WriteAsync(async write =>
        {
            const string method = nameof(SetDrainAsync);
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, Instance.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var instance = await db.Instances.FindAsync([request.InstanceId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<InstanceRecord>("instance", request.InstanceId);
            if (instance.Draining != request.Draining)
            {
                instance.Draining = request.Draining;
                var reason = request.Reason.Length > 0 ? request.Reason : request.Draining ? "drain requested" : "drain lifted";
                write.Emit(InstanceEventType.DrainChanged, instance, reason,
                    rev => new InstanceDrainChanged(instance.InstanceId, instance.App, instance.Draining, reason, rev, write.NowOffset));
            }
            var response = instance.ToApi();
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);

    private async Task<InstanceLeaseCache.Entry> LeaseEntryAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (leases.TryGet(instanceId, out var entry))
        {
            return entry;
        }
        var record = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.InstanceId == instanceId, cancellationToken)
            ?? RpcErrors.ThrowNotFound<InstanceRecord>("instance", instanceId);
        return leases.Put(record);
    }

    private static bool StatusChanges(InstanceLeaseCache.Entry entry, InstanceStatusReport report)
    {
        var current = entry.StatusKey.Split('\n');
        var next = new InstanceRecord { Version = current[0], ConfigHash = current[1], Plugins = current[2], SchemaVersion = current[3] };
        Apply(next, report);
        return InstanceLeaseCache.StatusKey(next) != entry.StatusKey;
    }

    private static void Apply(InstanceRecord instance, InstanceStatusReport report)
    {
        if (report.Version.Length > 0) { instance.Version = report.Version; }
        if (report.ConfigHash.Length > 0) { instance.ConfigHash = report.ConfigHash; }
        if (report.PluginsSet) { instance.Plugins = PluginSet.Normalize(report.Plugins); }
        if (report.SchemaVersion.Length > 0) { instance.SchemaVersion = report.SchemaVersion; }
    }

    private Task<bool> ApplyStatusAsync(string instanceId, InstanceStatusReport report, CancellationToken cancellationToken) =>
        writer.WriteAsync(async write =>
        {
            var instance = await db.Instances.FindAsync([instanceId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<InstanceRecord>("instance", instanceId);
            var before = InstanceLeaseCache.StatusKey(instance);
            Apply(instance, report);
            if (InstanceLeaseCache.StatusKey(instance) == before)
            {
                return false;
            }
            write.Emit(InstanceEventType.Updated, instance, "status reported by heartbeat",
                rev => new InstanceUpdated(instance.InstanceId, instance.App, instance.Version, instance.ConfigHash,
                    PluginSet.Split(instance.Plugins).ToList(), instance.SchemaVersion, rev, write.NowOffset));
            await db.SaveChangesAsync(cancellationToken);
            var app = await db.Apps.FindAsync([instance.App], cancellationToken);
            if (app is not null)
            {
                await DriftTracker.UpdateAsync(write, app, instance, cancellationToken);
            }
            return true;
        }, cancellationToken);
}
