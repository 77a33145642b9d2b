using ControlPlane.Api.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Dashboard.Live;

/// <summary>The pages' live feeds: each one of the API's Watch streams, relayed as server-sent events.</summary>
public static class EventEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events");
        events.MapGet("/instances", (HttpContext context, DashboardClients c, string? app) => WatchRelay.RunAsync(context,
            (from, ct) => c.Registry.WatchInstances(new WatchInstancesRequest { App = app ?? "", FromRevision = from }, c.Watch(ct)),
            e => (e.Revision, "instance")));
        // probes=true (one app's page): every probe too, live, for its latency chart.
        events.MapGet("/health", (HttpContext context, DashboardClients c, string? app, bool? probes) => WatchRelay.RunAsync(context,
            (from, ct) => c.Health.WatchHealth(new WatchHealthRequest { App = app ?? "", FromRevision = from, IncludeProbes = probes ?? false }, c.Watch(ct)),
            e => (e.Revision, "health")));
        events.MapGet("/rollouts", (HttpContext context, DashboardClients c, string? app, string? rollout) => WatchRelay.RunAsync(context,
            (from, ct) => c.Rollouts.WatchRollout(new WatchRolloutRequest
            {
                App = app ?? "",
                RolloutId = rollout ?? "",
                FromRevision = from,
                // The list needs no steps; one rollout's page draws them.
                ExcludeSteps = string.IsNullOrEmpty(rollout),
            }, c.Watch(ct)),
            e => (e.Revision, "rollout")));
        events.MapGet("/backups", (HttpContext context, DashboardClients c) => WatchRelay.RunAsync(context,
            (from, ct) => c.Backups.WatchBackups(new WatchBackupsRequest { FromRevision = from, IncludeProgress = true }, c.Watch(ct)),
            e => (e.Revision, "backup")));
    }
}
