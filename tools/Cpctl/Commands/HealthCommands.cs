using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;
using Grpc.Core;

namespace ControlPlane.Cpctl.Commands;

public static class HealthCommands
{
    public static Command Create()
    {
        var app = new Option<string>("--app") { Description = "only this app" };
        var watch = new Option<bool>("--watch", "-w") { Description = "keep printing changes as they happen" };
        var list = new Command("list", "Health of every instance") { app, watch };
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var client = new Api.V1.HealthProbe.HealthProbeClient(channel);
            var response = await client.ListHealthAsync(new ListHealthRequest { App = parse.GetValue(app) ?? "", PageSize = 10_000 }, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
            }
            else
            {
                var table = Cli.Table("INSTANCE", "APP", "STATE", "READY", "VERSION", "REASON");
                foreach (var h in response.Instances)
                {
                    table.AddRow(Cli.Escape(h.InstanceId), Cli.Escape(h.App), Colour(h.State), h.Ready ? "yes" : "[red]no[/]",
                        Cli.Escape(h.ReportedVersion), Cli.Escape(h.Reason));
                }
                Cli.Render(table);
                var s = response.Summary;
                Console.WriteLine($"{s.Total} instances: {s.Healthy} healthy, {s.Degraded} degraded, {s.Unhealthy} unhealthy, {s.Unknown} unknown; {s.Ready} ready");
            }
            if (!parse.GetValue(watch))
            {
                return Cli.Ok;
            }
            using var stream = client.WatchHealth(new WatchHealthRequest { App = parse.GetValue(app) ?? "", FromRevision = response.Revision }, cancellationToken: token);
            try
            {
                await foreach (var change in stream.ResponseStream.ReadAllAsync(token))
                {
                    if (json)
                    {
                        Cli.Json(change);
                    }
                    else
                    {
                        Console.WriteLine($"{change.OccurredAt.ToDateTime():HH:mm:ss} {change.Health.InstanceId} {change.PreviousState} -> {change.Health.State}" +
                            $" ready={change.Health.Ready} {change.Health.Reason}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            return Cli.Ok;
        }, ct));

        var readyApp = new Argument<string>("app") { Description = "app name" };
        var ready = new Command("ready-set", "The instances a load balancer should route to") { readyApp };
        ready.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var set = await new Api.V1.HealthProbe.HealthProbeClient(channel).GetReadySetAsync(new GetReadySetRequest { App = parse.GetValue(readyApp)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(set);
                return Cli.Ok;
            }
            var table = Cli.Table("INSTANCE", "ADDRESS", "IN READY SET");
            foreach (var member in set.Members)
            {
                table.AddRow(Cli.Escape(member.InstanceId), Cli.Escape(member.Address), "[green]yes[/]");
            }
            foreach (var excluded in set.Excluded)
            {
                table.AddRow(Cli.Escape(excluded.InstanceId), Cli.Escape(excluded.Address), $"[red]no[/] ({string.Join(", ", excluded.Reasons)})");
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));

        return new Command("health", "Health states and ready sets") { list, ready };
    }

    private static string Colour(HealthState state) => state switch
    {
        HealthState.Healthy => "[green]healthy[/]",
        HealthState.Degraded => "[yellow]degraded[/]",
        HealthState.Unhealthy => "[red]unhealthy[/]",
        _ => "unknown",
    };
}
