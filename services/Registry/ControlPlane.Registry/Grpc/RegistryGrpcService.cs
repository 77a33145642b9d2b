using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Registry.Grpc;

/// <summary>The Registry gRPC API: validation here, the work in the domain classes.</summary>
[Authorize(Policy = AccessRoles.Viewer)]
public sealed class RegistryGrpcService(
    InstanceCommands instances,
    AppCommands apps,
    RegistryQueries queries,
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ChangeNotifier<RegistryDbContext> changes) : Api.V1.Registry.RegistryBase
{
    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<App> UpsertApp(UpsertAppRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return apps.UpsertAsync(request, context.CancellationToken);
    }

    public override Task<App> GetApp(GetAppRequest request, ServerCallContext context)
    {
        RegistryValidation.AppName(request.Name, "name");
        return queries.GetAppAsync(request.Name, context.CancellationToken);
    }

    public override Task<ListAppsResponse> ListApps(ListAppsRequest request, ServerCallContext context)
    {
        RegistryValidation.Paging(request.PageSize);
        return queries.ListAppsAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Agent)]
    public override Task<RegisterInstanceResponse> RegisterInstance(RegisterInstanceRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return instances.RegisterAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Agent)]
    [NotAudited("lease renewals: thousands a second that change no fleet; counted in the request metrics")]
    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return instances.HeartbeatAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Agent)]
    public override Task<DeregisterInstanceResponse> DeregisterInstance(DeregisterInstanceRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return instances.DeregisterAsync(request, context.CancellationToken);
    }

    public override Task<Instance> GetInstance(GetInstanceRequest request, ServerCallContext context)
    {
        RegistryValidation.InstanceId(request.InstanceId);
        return queries.GetInstanceAsync(request.InstanceId, context.CancellationToken);
    }

    public override Task<ListInstancesResponse> ListInstances(ListInstancesRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return queries.ListInstancesAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Instance> SetDrain(SetDrainRequest request, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        return instances.SetDrainAsync(request, context.CancellationToken);
    }

    public override Task<FleetStatus> GetFleetStatus(GetFleetStatusRequest request, ServerCallContext context)
    {
        RegistryValidation.AppName(request.App, "app");
        return queries.GetFleetStatusAsync(request.App, context.CancellationToken);
    }

    public override async Task WatchInstances(WatchInstancesRequest request, IServerStreamWriter<InstanceEvent> responseStream, ServerCallContext context)
    {
        RegistryValidation.Validate(request);
        using var watch = WatchLoop.Until(context.CancellationToken, lifetime);
        var cancellationToken = watch.Token;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            var oldest = await EventLogReader.OldestRetainedAsync(db, cancellationToken);
            if (request.FromRevision > 0 && oldest > request.FromRevision + 1)
            {
                RpcErrors.ThrowFailedPrecondition(
                    $"revision {request.FromRevision} is older than the retained log (oldest {oldest}): list instances again and watch from the list's revision");
            }
        }
        await WatchLoop.RunAsync(
            request.FromRevision,
            async (after, limit, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
                return await EventLogReader.ReadAfterAsync(db, after, request.App, limit, ct);
            },
            () => changes.NextChange,
            EventLogReader.InStream(request.App),
            record => responseStream.WriteAsync(InstanceEvent.Parser.ParseFrom(record.Payload), cancellationToken),
            cancellationToken);
    }
}
