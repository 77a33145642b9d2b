using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Data;
using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Rollouts.Grpc;

/// <summary>The Rollouts gRPC API: validation and mapping here, the work in the commands, the driver and the watch.</summary>
[Authorize(Policy = AccessRoles.Viewer)]
public sealed class RolloutsGrpcService(
    StartRolloutCommand start,
    RolloutControl control,
    RolloutsDbContext db,
    IHostApplicationLifetime lifetime,
    ChangeNotifier<RolloutsDbContext> changes) : Api.V1.Rollouts.RolloutsBase
{
    private const int MaxPageSize = 1000;

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> StartRollout(StartRolloutRequest request, ServerCallContext context)
    {
        var userAgent = context.RequestHeaders.GetValue("user-agent") ?? "";
        var origin = new RolloutOrigin
        {
            Trigger = userAgent.Contains("cpctl", StringComparison.OrdinalIgnoreCase) ? RolloutTrigger.Cpctl : RolloutTrigger.Grpc,
            Initiator = request.Initiator,
            Source = $"{context.Peer} {userAgent}".Trim(),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? "",
        };
        return start.StartAsync(request, origin, context.CancellationToken);
    }

    public override async Task<Rollout> GetRollout(GetRolloutRequest request, ServerCallContext context)
    {
        var query = db.Rollouts.AsNoTracking();
        RolloutRecord? record;
        if (request.RolloutId.Length > 0)
        {
            RolloutValidation.RolloutId(request.RolloutId);
            record = await query.FirstOrDefaultAsync(r => r.Id == request.RolloutId, context.CancellationToken);
        }
        else
        {
            new FieldValidator().AppName(request.App, "app").ThrowIfInvalid();
            record = await query.Where(r => r.App == request.App)
                .OrderByDescending(r => r.ActiveApp != null).ThenByDescending(r => r.CreatedAt).FirstOrDefaultAsync(context.CancellationToken);
        }
        return record is null
            ? RpcErrors.ThrowNotFound<Rollout>("rollout", request.RolloutId.Length > 0 ? request.RolloutId : request.App)
            : Rollout.Parser.ParseFrom(record.Body);
    }

    public override async Task<ListRolloutsResponse> ListRollouts(ListRolloutsRequest request, ServerCallContext context)
    {
        var v = new FieldValidator().Check(request.PageSize >= 0, "page_size", "must not be negative");
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        v.ThrowIfInvalid();
        var size = request.PageSize == 0 ? 50 : Math.Min(request.PageSize, MaxPageSize);
        var offset = request.PageToken.Length == 0 ? 0 : int.TryParse(request.PageToken, out var o) && o >= 0 ? o
            : RpcErrors.ThrowNotFound<int>("page_token", request.PageToken);
        var states = request.States.Select(s => (int)s).ToList();
        var query = db.Rollouts.AsNoTracking().Where(r => request.App.Length == 0 || r.App == request.App);
        if (states.Count > 0)
        {
            query = query.Where(r => states.Contains(r.State));
        }
        var revision = await EventLogReader.HeadAsync(db, context.CancellationToken);
        var page = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(offset).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListRolloutsResponse { Revision = revision };
        response.Rollouts.AddRange(page.Take(size).Select(r => RolloutMapping.ForList(Rollout.Parser.ParseFrom(r.Body), request.IncludeSteps)));
        response.NextPageToken = page.Count > size ? (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return response;
    }

    public override async Task WatchRollout(WatchRolloutRequest request, IServerStreamWriter<RolloutEvent> responseStream, ServerCallContext context)
    {
        if (request.RolloutId.Length > 0)
        {
            RolloutValidation.RolloutId(request.RolloutId);
        }
        using var watch = WatchLoop.Until(context.CancellationToken, lifetime);
        var token = watch.Token;
        var from = request.FromRevision;
        if (from > 0 && from < await EventLogReader.OldestRetainedAsync(db, token) - 1)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"revision {from} is older than the retained log"));
        }
        if (from == 0)
        {
            from = await EventLogReader.HeadAsync(db, token);
            var snapshot = db.Rollouts.AsNoTracking().Where(r => request.RolloutId.Length > 0
                ? r.Id == request.RolloutId
                : r.ActiveApp != null && (request.App.Length == 0 || r.App == request.App));
            foreach (var record in await snapshot.ToListAsync(token))
            {
                await responseStream.WriteAsync(Shape(new RolloutEvent
                {
                    Revision = record.Revision,
                    Type = RolloutEventType.Snapshot,
                    Rollout = RolloutMapping.ForWatch(Rollout.Parser.ParseFrom(record.Body)),
                    OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow),
                }, request), token);
            }
        }
        await WatchLoop.RunAsync(from,
            (after, limit, ct) => EventLogReader.ReadAfterAsync(db, after, request.App, limit, ct),
            () => changes.NextChange,
            EventLogReader.InStream(request.App),
            async record =>
            {
                if (request.RolloutId.Length == 0 || record.Subject == request.RolloutId)
                {
                    await responseStream.WriteAsync(Shape(RolloutEvent.Parser.ParseFrom(record.Payload), request), token);
                }
            },
            token);
    }

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> PauseRollout(PauseRolloutRequest request, ServerCallContext context) => control.PauseAsync(request, context.CancellationToken);

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> ResumeRollout(ResumeRolloutRequest request, ServerCallContext context) => control.ResumeAsync(request, context.CancellationToken);

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> PromoteRollout(PromoteRolloutRequest request, ServerCallContext context) => control.PromoteAsync(request, context.CancellationToken);

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> AbortRollout(AbortRolloutRequest request, ServerCallContext context) => control.AbortAsync(request, context.CancellationToken);

    [Authorize(Policy = AccessRoles.Operator)]
    public override Task<Rollout> RollbackRollout(RollbackRolloutRequest request, ServerCallContext context) => control.RollbackAsync(request, context.CancellationToken);

    private static RolloutEvent Shape(RolloutEvent evt, WatchRolloutRequest request)
    {
        if (request.ExcludeSteps)
        {
            evt.Rollout?.Steps.Clear();
        }
        return evt;
    }
}
