using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Data;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.State;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.HealthProbe.Grpc;

/// <summary>The HealthProbe gRPC API: validation here, the work in the monitor, prober and queries.</summary>
[Authorize(Policy = AccessRoles.Viewer)]
public sealed class HealthProbeGrpcService(
    HealthMonitor monitor,
    HealthQueries queries,
    InstanceProber prober,
    HealthWatch watch,
    IServiceScopeFactory scopes) : Api.V1.HealthProbe.HealthProbeBase
{
    private const int MaxPageSize = 10_000;

    public override Task<InstanceHealth> GetInstanceHealth(GetInstanceHealthRequest request, ServerCallContext context)
    {
        HealthProbeValidation.InstanceId(request.InstanceId);
        return Task.FromResult(queries.Get(request.InstanceId));
    }

    public override async Task<ListHealthResponse> ListHealth(ListHealthRequest request, ServerCallContext context)
    {
        HealthProbeValidation.Validate(request);
        var matched = queries.Snapshot(request.App)
            .Where(h => request.States.Count == 0 || request.States.Contains(h.State))
            .Where(h => request.Ready == ReadyFilter.Unspecified || h.Ready == (request.Ready == ReadyFilter.Ready))
            .ToList();
        var response = new ListHealthResponse { Revision = await HeadAsync(context.CancellationToken), Summary = Summarize(matched) };
        var after = PageToken.Decode(request.PageToken);
        var size = request.PageSize <= 0 ? 500 : Math.Min(request.PageSize, MaxPageSize);
        var page = matched.Where(h => string.CompareOrdinal(Key(h), after) > 0).Take(size + 1).ToList();
        response.Instances.AddRange(page.Take(size));
        response.NextPageToken = page.Count > size ? PageToken.Encode(Key(page[size - 1])) : "";
        return response;
    }

    public override Task WatchHealth(WatchHealthRequest request, IServerStreamWriter<HealthEvent> responseStream, ServerCallContext context)
    {
        HealthProbeValidation.Validate(request);
        return watch.RunAsync(request, responseStream, context.CancellationToken);
    }

    public override Task<ReadySet> GetReadySet(GetReadySetRequest request, ServerCallContext context)
    {
        HealthProbeValidation.App(request.App);
        return queries.ReadySetAsync(request.App, context.CancellationToken);
    }

    public override Task<RenderLoadBalancerConfigResponse> RenderLoadBalancerConfig(RenderLoadBalancerConfigRequest request, ServerCallContext context)
    {
        HealthProbeValidation.Validate(request);
        return queries.RenderAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = AccessRoles.Operator)]
    public override async Task<ProbeNowResponse> ProbeNow(ProbeNowRequest request, ServerCallContext context)
    {
        HealthProbeValidation.Validate(request);
        var ids = request.InstanceIds.Count > 0
            ? request.InstanceIds.Distinct().ToList()
            : monitor.Targets.Where(t => t.App == request.App).Select(t => t.InstanceId).Order(StringComparer.Ordinal).Take(1000).ToList();
        if (request.InstanceIds.Count == 0 && ids.Count == 0)
        {
            await queries.RequireAppAsync(request.App, context.CancellationToken);
        }
        var targets = ids.Select(id => monitor.TryGet(id, out var t) ? t : RpcErrors.ThrowNotFound<Targets.ProbeTarget>("instance", id)).ToList();
        var results = await Task.WhenAll(targets.Select(async target =>
        {
            var result = new ProbeNowResult { InstanceId = target.InstanceId, ProberId = monitor.ProberId };
            var plan = target.PlanRound();
            if (plan is null)
            {
                lock (target.Gate)
                {
                    result.PreviousState = result.State = target.State;
                }
                return result;
            }
            var checks = await prober.ProbeAsync(plan with { CheckLiveness = true }, context.CancellationToken);
            // Counted only by the replica that probes this instance; elsewhere it is a look, not a vote.
            var (verdict, before, after) = monitor.Record(target, checks, count: !request.DryRun && monitor.Owns(target));
            result.Success = verdict == State.Verdict.Pass;
            result.PreviousState = before;
            result.State = after;
            result.ReportedVersion = checks.Select(c => c.Report?.Version).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
            var at = Timestamp.FromDateTime(DateTime.UtcNow);
            result.Endpoints.AddRange(checks.Select(c => new EndpointResult
            {
                Endpoint = c.Endpoint,
                Target = c.Target,
                Outcome = c.Outcome,
                HttpStatusCode = c.Endpoint == ProbeEndpointKind.Grpc ? 0 : c.StatusCode,
                GrpcStatusCode = c.Endpoint == ProbeEndpointKind.Grpc ? c.StatusCode : 0,
                GrpcServingStatus = c.GrpcServingStatus,
                Latency = Duration.FromTimeSpan(c.Latency),
                CheckedAt = at,
                LastError = c.Error ?? "",
            }));
            return result;
        }));
        var response = new ProbeNowResponse();
        response.Results.AddRange(results);
        return response;
    }

    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await EventLogReader.HeadAsync(scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>(), cancellationToken);
    }

    private static string Key(InstanceHealth health) => $"{health.App}\n{health.InstanceId}";

    private static HealthSummary Summarize(List<InstanceHealth> matched) => new()
    {
        Total = matched.Count,
        Unknown = matched.Count(h => h.State == HealthState.Unknown),
        Healthy = matched.Count(h => h.State == HealthState.Healthy),
        Degraded = matched.Count(h => h.State == HealthState.Degraded),
        Unhealthy = matched.Count(h => h.State == HealthState.Unhealthy),
        Ready = matched.Count(h => h.Ready),
    };
}
