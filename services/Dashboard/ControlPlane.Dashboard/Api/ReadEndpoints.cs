using System.Text.Json.Nodes;
using ControlPlane.Api.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Dashboard.Api;

/// <summary>
/// What each page shows first. Every answer carries the revision it was read at (<c>…Revision</c>), from which the
/// page's event streams go on, so nothing between the read and the watch is missed.
/// </summary>
public static class ReadEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/apps", (DashboardClients c) => ApiErrors.Try(() => AppsAsync(c)));
        api.MapGet("/apps/{app}", (string app, DashboardClients c) => ApiErrors.Try(() => AppAsync(c, app)));
        api.MapGet("/rollouts", (string? app, DashboardClients c) => ApiErrors.Try(async () =>
        {
            var list = await c.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = app ?? "", PageSize = 100 }, c.Call);
            return ProtoJson.Result(new JsonObject { ["rollouts"] = ProtoJson.Array(list.Rollouts), ["revision"] = list.Revision.ToString() });
        }));
        api.MapGet("/rollouts/{id}", (string id, DashboardClients c) => ApiErrors.Try(async () =>
            ProtoJson.Result(await c.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id }, c.Call))));
        api.MapGet("/backups", (DashboardClients c) => ApiErrors.Try(async () =>
        {
            var list = await c.Backups.ListBackupsAsync(new ListBackupsRequest { PageSize = 100 }, c.Call);
            return ProtoJson.Result(new JsonObject { ["backups"] = ProtoJson.Array(list.Backups), ["revision"] = list.Revision.ToString() });
        }));
    }

    /// <summary>Every app with its instance counts, drift and ready set.</summary>
    private static async Task<IResult> AppsAsync(DashboardClients c)
    {
        // Read the revisions first: an event after them is then replayed by the watch, never lost between read and watch.
        var instancesRevision = (await c.Registry.ListInstancesAsync(new ListInstancesRequest { PageSize = 1 }, c.Call)).Revision;
        var healthRevision = (await c.Health.ListHealthAsync(new ListHealthRequest { PageSize = 1 }, c.Call)).Revision;
        var apps = await c.Registry.ListAppsAsync(new ListAppsRequest { PageSize = 1000 }, c.Call);
        var rows = new JsonArray();
        foreach (var app in apps.Apps)
        {
            var fleet = c.Registry.GetFleetStatusAsync(new GetFleetStatusRequest { App = app.Name }, c.Call).ResponseAsync;
            var ready = c.Health.GetReadySetAsync(new GetReadySetRequest { App = app.Name }, c.Call).ResponseAsync;
            rows.Add(new JsonObject { ["app"] = ProtoJson.Node(app), ["fleet"] = ProtoJson.Node(await fleet), ["readySet"] = ProtoJson.Node(await ready) });
        }
        return ProtoJson.Result(new JsonObject
        {
            ["apps"] = rows,
            ["instancesRevision"] = instancesRevision.ToString(),
            ["healthRevision"] = healthRevision.ToString(),
        });
    }

    /// <summary>One app: its instances, each with its health per endpoint, and its drift.</summary>
    private static async Task<IResult> AppAsync(DashboardClients c, string name)
    {
        var instances = await c.Registry.ListInstancesAsync(new ListInstancesRequest { App = name, PageSize = 10000, IncludeExpired = true }, c.Call);
        var health = await c.Health.ListHealthAsync(new ListHealthRequest { App = name, PageSize = 10000 }, c.Call);
        var app = await c.Registry.GetAppAsync(new GetAppRequest { Name = name }, c.Call);
        var fleet = await c.Registry.GetFleetStatusAsync(new GetFleetStatusRequest { App = name }, c.Call);
        return ProtoJson.Result(new JsonObject
        {
            ["app"] = ProtoJson.Node(app),
            ["fleet"] = ProtoJson.Node(fleet),
            ["instances"] = ProtoJson.Array(instances.Instances),
            ["health"] = ProtoJson.Array(health.Instances),
            ["instancesRevision"] = instances.Revision.ToString(),
            ["healthRevision"] = health.Revision.ToString(),
        });
    }
}
