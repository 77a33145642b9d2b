using System.Security.Cryptography;
using System.Text;
using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.LoadBalancer;
using ControlPlane.ServiceDefaults.Api;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.HealthProbe.State;

/// <summary>Reads of the prober's in-memory picture: health, lists, ready sets and load balancer configs.</summary>
public sealed class HealthQueries(HealthMonitor monitor, RegistryClient registry)
{
    public InstanceHealth Get(string instanceId)
    {
        if (!monitor.TryGet(instanceId, out var target))
        {
            RpcErrors.ThrowNotFound("instance", instanceId);
        }
        lock (target.Gate)
        {
            return target.ToApi(monitor.ProberId);
        }
    }

    /// <summary>Every matching instance, ordered by app then id.</summary>
    public List<InstanceHealth> Snapshot(string app, string instanceId = "")
    {
        var list = new List<InstanceHealth>();
        foreach (var target in monitor.Targets)
        {
            if ((app.Length > 0 && target.App != app) || (instanceId.Length > 0 && target.InstanceId != instanceId))
            {
                continue;
            }
            lock (target.Gate)
            {
                list.Add(target.ToApi(monitor.ProberId));
            }
        }
        list.Sort((a, b) => a.App != b.App ? string.CompareOrdinal(a.App, b.App) : string.CompareOrdinal(a.InstanceId, b.InstanceId));
        return list;
    }

    public async Task<ReadySet> ReadySetAsync(string app, CancellationToken cancellationToken)
    {
        await RequireAppAsync(app, cancellationToken);
        return ReadySet(app);
    }

    private ReadySet ReadySet(string app)
    {
        var (revision, changedAt) = monitor.ReadySetRevision(app);
        var set = new ReadySet { App = app, Revision = revision, ChangedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(changedAt, DateTimeKind.Utc)) };
        foreach (var health in Snapshot(app))
        {
            if (health.Ready)
            {
                set.Members.Add(new ReadyMember { InstanceId = health.InstanceId, Address = health.Address, Version = health.ReportedVersion });
            }
            else
            {
                set.Excluded.Add(new NotReadyMember { InstanceId = health.InstanceId, Address = health.Address, State = health.State, Reasons = { health.NotReadyReasons } });
            }
        }
        return set;
    }

    public async Task<RenderLoadBalancerConfigResponse> RenderAsync(RenderLoadBalancerConfigRequest request, CancellationToken cancellationToken)
    {
        await RequireAppAsync(request.App, cancellationToken);
        var set = ReadySet(request.App);
        var spec = monitor.Targets.FirstOrDefault(t => t.App == request.App)?.Spec ?? ApiDefaults.Complete((HealthCheckSpec?)null);
        var servers = set.Members.Select(m => LoadBalancerServer.From(m.InstanceId, m.Address, routable: true))
            .Concat(set.Excluded.Select(m => LoadBalancerServer.From(m.InstanceId, m.Address, routable: false)))
            .OrderBy(s => s.InstanceId, StringComparer.Ordinal)
            .ToList();
        var plan = new LoadBalancerPlan(request.App, set.Revision, servers, spec, request.Options ?? new LoadBalancerOptions());
        var config = request.Format == LoadBalancerFormat.Haproxy ? HaproxyRenderer.Render(plan) : NginxRenderer.Render(plan);
        var response = new RenderLoadBalancerConfigResponse
        {
            Config = config,
            Format = request.Format,
            ReadySetRevision = set.Revision,
            ServerCount = set.Members.Count,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(config))),
        };
        if (set.Members.Count == 0)
        {
            response.Warnings.Add("the ready set is empty: every request through this load balancer will fail");
        }
        var routable = servers.Where(s => s.Routable).ToList();
        if (routable.Any(s => s.Https) && !routable.All(s => s.Https))
        {
            response.Warnings.Add("the ready set mixes http and https instances: the upstream is proxied over http");
        }
        return response;
    }

    /// <summary>
    /// The app must exist. An app with no instances yet is known here only by its spec, which arrives by the
    /// AppUpserted event or the periodic refresh: when neither has come yet, the Registry is asked, so a read
    /// right after the app was created does not answer NotFound.
    /// </summary>
    public async Task RequireAppAsync(string app, CancellationToken cancellationToken)
    {
        if (monitor.KnowsApp(app))
        {
            return;
        }
        try
        {
            var known = await registry.GetAppAsync(new GetAppRequest { Name = app }, cancellationToken: cancellationToken);
            monitor.SetSpec(known.Name, known.HealthCheck);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            RpcErrors.ThrowNotFound("app", app);
        }
    }
}
