using System.CommandLine;
using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Cpctl.Commands;

/// <summary>`apps set`: creates an app or changes the given fields of an existing one, leaving the others as they are.</summary>
public static class AppSetCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "app name (lower-case DNS label, e.g. grafana)" };
        var description = new Option<string>("--description") { Description = "what the fleet is" };
        var desiredVersion = new Option<string>("--desired-version") { Description = "the version every instance should run (drift is judged against it)" };
        var interval = Durations.Option("--health-interval", "time between health probes of each instance");
        var timeout = Durations.Option("--health-timeout", "how long a probe may take");
        var rise = new Option<int?>("--rise") { Description = "consecutive passing probes before HEALTHY" };
        var fall = new Option<int?>("--fall") { Description = "consecutive failing probes before UNHEALTHY" };
        var minHealthy = Durations.Option("--min-healthy", "rollout default: how long an updated instance must stay HEALTHY");
        var set = new Command("set", "Create an app, or change the given fields of one") { name, description, desiredVersion, interval, timeout, rise, fall, minHealthy };
        set.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var registry = new RegistryClient(channel);
            var app = await CurrentAsync(registry, parse.GetValue(name)!, token);
            if (parse.GetValue(description) is { } text) { app.Description = text; }
            if (parse.GetValue(desiredVersion) is { } version) { app.DesiredVersion = version; }
            app.HealthCheck ??= new HealthCheckSpec();
            if (parse.GetValue(interval) is { } every) { app.HealthCheck.Interval = Duration.FromTimeSpan(every); }
            if (parse.GetValue(timeout) is { } limit) { app.HealthCheck.Timeout = Duration.FromTimeSpan(limit); }
            if (parse.GetValue(rise) is { } up) { app.HealthCheck.Rise = up; }
            if (parse.GetValue(fall) is { } down) { app.HealthCheck.Fall = down; }
            if (parse.GetValue(minHealthy) is { } healthy)
            {
                app.RolloutDefaults ??= new RolloutStrategy();
                app.RolloutDefaults.MinHealthyTime = Duration.FromTimeSpan(healthy);
            }
            var saved = await registry.UpsertAppAsync(new UpsertAppRequest { App = app }, cancellationToken: token);
            if (json)
            {
                Cli.Json(saved);
            }
            else
            {
                Console.WriteLine($"app {saved.Name}: generation {saved.Generation}");
            }
            return Cli.Ok;
        }, ct));
        return set;
    }

    private static async Task<App> CurrentAsync(RegistryClient registry, string name, CancellationToken token)
    {
        try
        {
            var app = await registry.GetAppAsync(new GetAppRequest { Name = name }, cancellationToken: token);
            // Server-kept fields are not the client's to send back.
            app.CreatedAt = null;
            app.UpdatedAt = null;
            app.Generation = 0;
            return app;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return new App { Name = name };
        }
    }
}
