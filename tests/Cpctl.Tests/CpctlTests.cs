using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Cpctl.Tests;

/// <summary>cpctl run as a process against a running suite (Registry and HealthProbe over real gRPC).</summary>
public class CpctlTests
{
    [Fact]
    public async Task ReadsAnswerInJsonAndDrainChangesTheInstance()
    {
        await using var suite = await InProcessHost.StartAsync(b => b.AddRegistry().AddHealthProbe(), a => a.MapRegistry().MapHealthProbe(),
            new Dictionary<string, string?>());
        await using var demo = await DemoAppProcess.StartAsync("2.0");
        var registry = new Api.V1.Registry.RegistryClient(suite.Channel);
        await registry.UpsertAppAsync(new UpsertAppRequest { App = new App
        {
            Name = "grafana", DesiredVersion = "1.0",
            HealthCheck = new HealthCheckSpec { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)), Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(250)), Rise = 1 },
        } });
        await registry.RegisterInstanceAsync(new RegisterInstanceRequest { InstanceId = "g-1", App = "grafana", Address = demo.Address, Version = "2.0" });

        var apps = await RunAsync(suite, "apps", "list", "-o", "json");
        Assert.Equal(0, apps.ExitCode);
        Assert.Equal("grafana", apps.Json.RootElement.GetProperty("apps")[0].GetProperty("name").GetString());

        var fleet = await RunAsync(suite, "fleet", "status", "grafana", "--output", "json");
        var drift = fleet.Json.RootElement.GetProperty("drift")[0];
        Assert.Equal("g-1", drift.GetProperty("instanceId").GetString());
        Assert.Equal("DRIFT_FIELD_NAME_VERSION", drift.GetProperty("fields")[0].GetProperty("field").GetString());

        var ready = await WaitAsync(() => RunAsync(suite, "health", "ready-set", "grafana", "-o", "json"),
            r => r.Json.RootElement.TryGetProperty("members", out var m) && m.GetArrayLength() == 1);
        Assert.Equal(demo.Address, ready.Json.RootElement.GetProperty("members")[0].GetProperty("address").GetString());

        var drained = await RunAsync(suite, "instances", "drain", "g-1", "--reason", "maintenance", "-o", "json");
        Assert.True(drained.Json.RootElement.GetProperty("draining").GetBoolean());
        var instances = await RunAsync(suite, "instances", "list", "--app", "grafana", "-o", "json");
        Assert.True(instances.Json.RootElement.GetProperty("instances")[0].GetProperty("draining").GetBoolean());
        await WaitAsync(() => RunAsync(suite, "health", "ready-set", "grafana", "-o", "json"),
            r => !r.Json.RootElement.TryGetProperty("members", out _));

        var table = await RunAsync(suite, "health", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("g-1", table.Output);
        Assert.Contains("1 instances: 1 healthy", table.Output);
    }

    [Fact]
    public async Task AppsSetCreatesAnAppAndLaterChangesOnlyTheGivenFields()
    {
        await using var suite = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>());

        var created = await RunAsync(suite, "apps", "set", "grafana", "--health-interval", "2s", "--rise", "3", "--min-healthy", "5s", "-o", "json");
        Assert.Equal(0, created.ExitCode);
        var changed = await RunAsync(suite, "apps", "set", "grafana", "--desired-version", "11.2", "-o", "json");
        Assert.Equal(0, changed.ExitCode);

        var app = await new Api.V1.Registry.RegistryClient(suite.Channel).GetAppAsync(new GetAppRequest { Name = "grafana" });
        CpctlProcess.AssertSameJson(CpctlProcess.ApiJson(app), changed.Node);
        Assert.Equal("11.2", app.DesiredVersion);
        Assert.Equal(TimeSpan.FromSeconds(2), app.HealthCheck.Interval.ToTimeSpan());
        Assert.Equal(3, app.HealthCheck.Rise);
        Assert.Equal(TimeSpan.FromSeconds(5), app.RolloutDefaults.MinHealthyTime.ToTimeSpan());
        Assert.Equal(2, app.Generation);

        var invalid = await RunAsync(suite, "apps", "set", "Not A Name");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("name", invalid.Errors);
    }

    [Fact]
    public async Task ErrorsAreWordsWithMeaningfulExitCodes()
    {
        await using var suite = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), new Dictionary<string, string?>());

        var missing = await RunAsync(suite, "apps", "get", "nosuch");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("app 'nosuch' not found", missing.Errors);

        var invalid = await RunAsync(suite, "instances", "drain", "has space");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("instance_id:", invalid.Errors);

        var usage = await RunAsync(suite, "nosuchcommand");
        Assert.Equal(2, usage.ExitCode);

        var down = await CpctlProcess.RunAsync($"http://127.0.0.1:{FreePorts.Next()}", "apps", "list");
        Assert.Equal(4, down.ExitCode);
        Assert.Contains("unavailable", down.Errors);
    }

    private static Task<CpctlProcess.Result> RunAsync(InProcessHost suite, params string[] args) => CpctlProcess.RunAsync(suite.GrpcUrl, args);

    private static Task<CpctlProcess.Result> WaitAsync(Func<Task<CpctlProcess.Result>> run, Func<CpctlProcess.Result, bool> done) =>
        CpctlProcess.WaitAsync(run, done, seconds: 20);
}
