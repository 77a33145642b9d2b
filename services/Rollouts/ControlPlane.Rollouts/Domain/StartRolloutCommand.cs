using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Data;
using ControlPlane.Rollouts.Driving;
using ControlPlane.Rollouts.Grpc;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Idempotency;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Domain;

/// <summary>Plans and saves a rollout (PENDING); the driver picks it up. Shared by gRPC and both bus triggers.</summary>
public sealed class StartRolloutCommand(RolloutStore store, FleetClients fleet, TimeProvider clock, RolloutSignal signal)
{
    public const string Method = "StartRollout";

    public async Task<Rollout> StartAsync(StartRolloutRequest request, RolloutOrigin origin, CancellationToken cancellationToken)
    {
        using var span = RolloutsTelemetry.Source.StartActivity($"rollout start {request.App}");
        span?.SetTag("controlplane.app", request.App);
        span?.SetTag("controlplane.rollout.trigger", origin.Trigger.ToString());
        try
        {
            var rollout = await StartTracedAsync(request, origin, cancellationToken);
            span?.SetTag("controlplane.rollout.id", rollout.Id);
            return rollout;
        }
        catch (RpcException ex)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw;
        }
    }

    private async Task<Rollout> StartTracedAsync(StartRolloutRequest request, RolloutOrigin origin, CancellationToken cancellationToken)
    {
        RolloutValidation.Validate(request);
        if (await FindRepeatAsync(request.RequestId, cancellationToken) is { } repeated)
        {
            return repeated;
        }
        var app = await GetAppAsync(request.App, cancellationToken);
        var strategy = StrategyMerge.InForce(request.Strategy, app.RolloutDefaults);
        var instances = await SelectInstancesAsync(request, cancellationToken);
        var id = $"r-{clock.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..26];
        var (rollout, work) = RolloutPlanner.Plan(id, request, strategy, instances, origin, clock.GetUtcNow().UtcDateTime);
        if (request.DryRun)
        {
            return rollout;
        }
        // The start's span is the parent of the driver's spans, however much later and wherever they run.
        work.TraceParent = System.Diagnostics.Activity.Current?.Id;
        if (await store.Db.Rollouts.AnyAsync(r => r.ActiveApp == request.App, cancellationToken))
        {
            RpcErrors.ThrowFailedPrecondition($"app '{request.App}' already has an active rollout");
        }
        var record = new RolloutRecord
        {
            Id = id,
            App = request.App,
            RequestId = request.RequestId.Length > 0 ? request.RequestId : null,
            CreatedAt = rollout.CreatedAt.ToDateTime(),
        };
        var document = new RolloutDocument(record, rollout, work);
        try
        {
            await store.SaveAsync(document, cancellationToken,
                extra: write => IdempotentRequests.Remember(write.Db, request.RequestId, Method, RolloutMapping.ForWatch(rollout)));
        }
        catch (DbUpdateException)
        {
            // A unique index: the same request_id raced in, or another replica started a rollout for this app meanwhile.
            return await FindRepeatAsync(request.RequestId, cancellationToken)
                ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"app '{request.App}' already has an active rollout"));
        }
        signal.Wake();
        return rollout;
    }

    private async Task<Rollout?> FindRepeatAsync(string requestId, CancellationToken cancellationToken)
    {
        store.Db.ChangeTracker.Clear();
        if (requestId.Length == 0)
        {
            return null;
        }
        var record = await store.Db.Rollouts.AsNoTracking().FirstOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        return record is null ? null : Rollout.Parser.ParseFrom(record.Body);
    }

    private async Task<App> GetAppAsync(string app, CancellationToken cancellationToken)
    {
        try
        {
            return await fleet.GetAppAsync(app, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return RpcErrors.ThrowNotFound<App>("app", app);
        }
    }

    private async Task<List<Instance>> SelectInstancesAsync(StartRolloutRequest request, CancellationToken cancellationToken)
    {
        var instances = await fleet.ListInstancesAsync(request.App, request.LabelSelector, cancellationToken);
        if (request.InstanceIds.Count > 0)
        {
            var byId = instances.ToDictionary(i => i.InstanceId);
            var missing = request.InstanceIds.Where(id => !byId.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                RpcErrors.ThrowInvalidArgument("instance_ids", $"not active instances of '{request.App}': {string.Join(", ", missing)}");
            }
            instances = request.InstanceIds.Distinct().Select(id => byId[id]).ToList();
        }
        else
        {
            instances = instances.OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        }
        if (instances.Count == 0)
        {
            RpcErrors.ThrowFailedPrecondition($"app '{request.App}' has no active instances to roll out to");
        }
        return instances;
    }
}
