using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;

namespace ControlPlane.Cpctl.Commands;

public static class FleetCommands
{
    public static Command Create()
    {
        var app = new Argument<string>("app") { Description = "app name" };
        var status = new Command("status", "The drift report: instances that differ from the app's desired state, and how") { app };
        status.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var fleet = await new Api.V1.Registry.RegistryClient(channel).GetFleetStatusAsync(
                new GetFleetStatusRequest { App = parse.GetValue(app)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(fleet);
                return Cli.Ok;
            }
            Console.WriteLine($"{fleet.App}: {fleet.ActiveInstances} active, {fleet.DrainingInstances} draining, {fleet.ExpiredInstances} expired, " +
                $"{fleet.DriftedInstances} drifted; expected version '{fleet.ExpectedVersion}'");
            var table = Cli.Table("INSTANCE", "FIELD", "EXPECTED", "ACTUAL");
            foreach (var drift in fleet.Drift)
            {
                foreach (var field in drift.Fields)
                {
                    table.AddRow(Cli.Escape(drift.InstanceId), field.Field.ToString(),
                        Cli.Escape(field.Expected + (field.ExpectedFromMajority ? " (majority)" : "")), $"[red]{Cli.Escape(field.Actual)}[/]");
                }
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));
        return new Command("fleet", "Fleet-wide views") { status };
    }
}
