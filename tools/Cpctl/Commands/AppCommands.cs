using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;

namespace ControlPlane.Cpctl.Commands;

public static class AppCommands
{
    public static Command Create()
    {
        var list = new Command("list", "List the apps (fleets)");
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var response = await new Api.V1.Registry.RegistryClient(channel).ListAppsAsync(new ListAppsRequest { PageSize = 1000 }, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("APP", "DESIRED VERSION", "CONFIG", "INTERVAL", "RISE/FALL", "GENERATION");
            foreach (var app in response.Apps)
            {
                table.AddRow(Cli.Escape(app.Name), Cli.Escape(app.DesiredVersion), Cli.Escape(app.DesiredConfigHash),
                    $"{app.HealthCheck.Interval.ToTimeSpan().TotalSeconds:0.###}s", $"{app.HealthCheck.Rise}/{app.HealthCheck.Fall}", $"{app.Generation}");
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));

        var name = new Argument<string>("name") { Description = "app name" };
        var get = new Command("get", "Show one app") { name };
        get.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var app = await new Api.V1.Registry.RegistryClient(channel).GetAppAsync(new GetAppRequest { Name = parse.GetValue(name)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(app);
                return Cli.Ok;
            }
            var table = Cli.Table("FIELD", "VALUE");
            table.AddRow("name", Cli.Escape(app.Name));
            table.AddRow("desired version", Cli.Escape(app.DesiredVersion));
            table.AddRow("desired config", Cli.Escape(app.DesiredConfigHash));
            table.AddRow("desired plugins", Cli.Escape(string.Join(", ", app.DesiredPlugins)));
            table.AddRow("health check", Cli.Escape($"{app.HealthCheck.ReadinessPath} {app.HealthCheck.HealthPath} every {app.HealthCheck.Interval.ToTimeSpan()}"));
            table.AddRow("rollout", Cli.Escape($"max_parallel {app.RolloutDefaults.MaxParallel}, auto_revert {app.RolloutDefaults.AutoRevert}"));
            Cli.Render(table);
            return Cli.Ok;
        }, ct));

        return new Command("apps", "Apps (fleets) and their desired state") { list, get, AppSetCommand.Create() };
    }
}
