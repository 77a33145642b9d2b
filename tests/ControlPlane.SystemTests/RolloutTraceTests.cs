using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>
/// A rollout started by a plain-JSON message carrying a traceparent is one trace through Rollouts, Registry,
/// HealthProbe, the Agents and Backups (backup_before), in AllInOne and with every service as its own process.
/// </summary>
public sealed class RolloutTraceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ARolloutStartedByAMessageIsOneTraceThroughAllInOneAndTheAgents()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("cp-aio-").FullName;
        var telemetry = Telemetry(receiver);
        // Embedded mode's database (SQLite) with RabbitMQ as the bus, which the Agents and the start queue need.
        var environment = new Dictionary<string, string>(telemetry)
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
            ["Backups__RepositoryPath"] = Path.Combine(folder, "backups"),
            ["Rollouts__PollInterval"] = "00:00:00.100",
        };
        await using var allInOne = ServiceProcess.Start("ControlPlane.AllInOne", environment);
        await allInOne.WaitUntilReadyAsync(Ready);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: AllInOne ready");
        await using var fleet = await TracedFleet.StartAsync(vhost, allInOne.GrpcUrl, allInOne.GrpcUrl, allInOne.GrpcUrl, 2, telemetry);

        var (traceId, senderSpan) = await fleet.PublishStartAsync("2.0", traceparentInHeader: true, requestId: "aio-trace");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: fleet HEALTHY, start published");
        await fleet.WaitForRolloutAsync("aio-trace", RolloutState.Succeeded, TimeSpan.FromSeconds(180));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: rollout SUCCEEDED");

        var spans = await receiver.WaitAsync(all => RolloutTrace.IsComplete(all, traceId, senderSpan), TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: trace complete, {spans.Count} spans received");
        RolloutTrace.AssertShape(spans, traceId, senderSpan, ["gf-1", "gf-2"]);
        RolloutTrace.AssertNoSecrets(spans);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ARolloutStartedByAMessageIsOneTraceThroughSeparateServiceProcessesAndCarriesNoSecret()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("cp-split-").FullName;
        var telemetry = Telemetry(receiver);
        var environment = new Dictionary<string, string>(telemetry)
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = await TestSecrets.RoleAsync(database),
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        };
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", environment);
        await registry.WaitUntilReadyAsync(Ready);
        await using var prober = ServiceProcess.Start("ControlPlane.HealthProbe.Host",
            new Dictionary<string, string>(environment) { ["HealthProbe__RegistryUrl"] = registry.GrpcUrl });
        await using var backups = ServiceProcess.Start("ControlPlane.Backups.Host", new Dictionary<string, string>(environment)
        {
            ["Backups__RegistryUrl"] = registry.GrpcUrl,
            ["Backups__RepositoryPath"] = Path.Combine(folder, "backups"),
        });
        await prober.WaitUntilReadyAsync(Ready);
        await backups.WaitUntilReadyAsync(Ready);
        await using var rollouts = ServiceProcess.Start("ControlPlane.Rollouts.Host", new Dictionary<string, string>(environment)
        {
            ["Rollouts__RegistryUrl"] = registry.GrpcUrl,
            ["Rollouts__HealthProbeUrl"] = prober.GrpcUrl,
            ["Rollouts__BackupsUrl"] = backups.GrpcUrl,
            ["Rollouts__PollInterval"] = "00:00:00.100",
        });
        await rollouts.WaitUntilReadyAsync(Ready);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: services ready");
        await using var fleet = await TracedFleet.StartAsync(vhost, registry.GrpcUrl, prober.GrpcUrl, rollouts.GrpcUrl, 2, telemetry);

        var (traceId, senderSpan) = await fleet.PublishStartAsync("2.0", traceparentInHeader: false, requestId: "split-trace");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: fleet HEALTHY, start published");
        await fleet.WaitForRolloutAsync("split-trace", RolloutState.Succeeded, TimeSpan.FromSeconds(180));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: rollout SUCCEEDED");

        var spans = await receiver.WaitAsync(all => RolloutTrace.IsComplete(all, traceId, senderSpan), TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: trace complete, {spans.Count} spans received");
        RolloutTrace.AssertShape(spans, traceId, senderSpan, ["gf-1", "gf-2"]);
        var services = spans.Where(s => s.TraceId == traceId).Select(s => s.Service).ToHashSet();
        Assert.Superset(new HashSet<string>(RolloutTrace.Parts), services);

        // Neither spans nor log lines carry the database password or the broker's credentials.
        RolloutTrace.AssertNoSecrets(spans);
        var logs = string.Join('\n', new[] { registry, prober, backups, rollouts }.Select(p => p.Output).Concat(fleet.Agents.Select(a => a.Process.Output)));
        Assert.DoesNotContain(TestSecrets.Password, logs);
        Assert.DoesNotContain(TestSecrets.RabbitMqCredentials, logs);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>OTLP to the test's receiver, exported in small batches so spans arrive while the test waits.</summary>
    private static Dictionary<string, string> Telemetry(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };
}
