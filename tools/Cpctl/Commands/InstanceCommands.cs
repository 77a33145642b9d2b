using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;

namespace ControlPlane.Cpctl.Commands;

public static class InstanceCommands
{
    public static Command Create()
    {
        var app = new Option<string>("--app") { Description = "only this app" };
        var list = new Command("list", "List instances") { app };
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var response = await new Api.V1.Registry.RegistryClient(channel).ListInstancesAsync(
                new ListInstancesRequest { App = parse.GetValue(app) ?? "", PageSize = 10_000, IncludeExpired = true }, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("INSTANCE", "APP", "VERSION", "STATE", "DRAINING", "ADDRESS");
            foreach (var i in response.Instances)
            {
                table.AddRow(Cli.Escape(i.InstanceId), Cli.Escape(i.App), Cli.Escape(i.Version),
                    i.State == InstanceState.Active ? "active" : "[red]expired[/]", i.Draining ? "[yellow]yes[/]" : "no", Cli.Escape(i.Address));
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));

        var id = new Argument<string>("instance") { Description = "instance id" };
        var get = new Command("get", "Show one instance") { id };
        get.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var instance = await new Api.V1.Registry.RegistryClient(channel).GetInstanceAsync(
                new GetInstanceRequest { InstanceId = parse.GetValue(id)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(instance);
                return Cli.Ok;
            }
            var table = Cli.Table("FIELD", "VALUE");
            table.AddRow("instance", Cli.Escape(instance.InstanceId));
            table.AddRow("app", Cli.Escape(instance.App));
            table.AddRow("address", Cli.Escape(instance.Address));
            table.AddRow("version", Cli.Escape(instance.Version));
            table.AddRow("state", instance.State.ToString());
            table.AddRow("draining", instance.Draining ? "yes" : "no");
            table.AddRow("lease expires", Cli.Escape(instance.LeaseExpiresAt?.ToDateTime().ToString("u") ?? ""));
            Cli.Render(table);
            return Cli.Ok;
        }, ct));

        var drainId = new Argument<string>("instance") { Description = "instance id" };
        var undo = new Option<bool>("--undo") { Description = "lift the drain" };
        var reason = new Option<string>("--reason") { Description = "why, recorded with the event" };
        var drain = new Command("drain", "Take an instance out of its ready set (or put it back with --undo)") { drainId, undo, reason };
        drain.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var instance = await new Api.V1.Registry.RegistryClient(channel).SetDrainAsync(new SetDrainRequest
            {
                InstanceId = parse.GetValue(drainId)!,
                Draining = !parse.GetValue(undo),
                Reason = parse.GetValue(reason) ?? "",
            }, cancellationToken: token);
            if (json)
            {
                Cli.Json(instance);
            }
            else
            {
                Console.WriteLine($"{instance.InstanceId}: {(instance.Draining ? "draining" : "serving")}");
            }
            return Cli.Ok;
        }, ct));

        return new Command("instances", "Fleet instances") { list, get, drain };
    }
}
