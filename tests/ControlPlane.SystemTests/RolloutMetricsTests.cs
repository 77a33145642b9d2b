using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using static ControlPlane.SystemTests.PrometheusScrape;

namespace ControlPlane.SystemTests;

/// <summary>/metrics of AllInOne on PostgreSQL and RabbitMQ after a scripted scenario, with the values it must show.</summary>
public sealed class RolloutMetricsTests
{
    [Fact]
    public async Task MetricsShowTheRolloutOutcomeTheBackupTheKilledInstanceBusTrafficAndGrpcCallsPerMethod()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("cp-metrics-").FullName;
        await using var allInOne = ServiceProcess.Start("ControlPlane.AllInOne", new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ControlPlane__InstanceId"] = "aio-metrics-1",
            ["ConnectionStrings__ControlPlane"] = await TestSecrets.RoleAsync(database),
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
            ["Backups__RepositoryPath"] = Path.Combine(folder, "backups"),
            ["Backups__SchedulerInterval"] = "00:00:01",
            ["Rollouts__PollInterval"] = "00:00:00.100",
        });
        await allInOne.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        using var channel = TestCredentials.Channel(allInOne.GrpcUrl);
        // An enabled policy: the scheduler then reports the age of the newest backup.
        await new Api.V1.Backups.BackupsClient(channel).SetBackupPolicyAsync(new SetBackupPolicyRequest
        {
            Policy = new BackupPolicy { TargetDatabase = "controlplane", Enabled = true, FreshnessMaxAge = Duration.FromTimeSpan(TimeSpan.FromHours(1)) },
        });
        await using var fleet = await TracedFleet.StartAsync(vhost, allInOne.GrpcUrl, allInOne.GrpcUrl, allInOne.GrpcUrl, 2, new Dictionary<string, string>());
        var ready = await UntilAsync(allInOne, m => Value(m, "controlplane_readyset_size", "app=\"grafana\"") == 2, TimeSpan.FromSeconds(60));
        Assert.Equal(0, Value(ready, "controlplane_rollouts_completed_total"));

        // A rollout (backup_before: a verified backup first) started by message, to its end.
        await fleet.PublishStartAsync("2.0", traceparentInHeader: false, requestId: "metrics-1");
        await UntilAsync(allInOne, m => Value(m, "controlplane_rollouts_in_progress", "app=\"grafana\"") == 1, TimeSpan.FromSeconds(60));
        var rollout = await fleet.WaitForRolloutAsync("metrics-1", RolloutState.Succeeded, TimeSpan.FromSeconds(180));
        var backup = await new Api.V1.Backups.BackupsClient(channel).GetBackupAsync(new GetBackupRequest { BackupId = rollout.BackupId });
        // The scheduler (every second) reports the age of that backup, the newest.
        var after = await UntilAsync(allInOne, m => Value(m, "controlplane_backups_last_success_age", "target=\"controlplane\"")
            <= (DateTime.UtcNow - backup.FinishedAt.ToDateTime()).TotalSeconds + 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1, Value(after, "controlplane_rollouts_completed_total", "app=\"grafana\"", "outcome=\"succeeded\""));
        Assert.Equal(1, Value(after, "controlplane_rollouts_duration_seconds_count", "app=\"grafana\"", "outcome=\"succeeded\""));
        var seconds = Value(after, "controlplane_rollouts_duration_seconds_sum", "app=\"grafana\"");
        var took = (rollout.FinishedAt.ToDateTime() - rollout.StartedAt.ToDateTime()).TotalSeconds;
        Assert.InRange(seconds, took - 0.01, took + 0.01);
        Assert.Equal(2, Value(after, "controlplane_rollouts_steps_total", "outcome=\"done\""));
        Assert.Equal(0, Value(after, "controlplane_rollouts_in_progress", "app=\"grafana\""));
        Assert.True(Value(after, "controlplane_backups_completed_total", "result=\"succeeded\"") >= 1);
        Assert.True(Value(after, "controlplane_backups_bytes") >= backup.SizeBytes);
        Assert.True(Value(after, "controlplane_backups_verifications_total", "result=\"passed\"") >= 1);

        // Bus messages per type (MassTransit's meter): the ApplyRelease sent to each Agent, their answers consumed.
        Assert.True(Value(after, "messaging_masstransit_send_ea_total", "message_type=\"ApplyRelease\"") >= 2);
        Assert.True(Value(after, "messaging_masstransit_consume_ea_total", "message_type=\"ReleaseApplied\"") >= 2);
        // gRPC requests and latency per method, on this replica (target_info names it).
        Assert.True(Value(after, "http_server_request_duration_seconds_count", "http_route=\"/controlplane.v1.Registry/SetDrain\"") >= 4);
        Assert.True(Value(after, "http_server_request_duration_seconds_count", "http_route=\"/controlplane.v1.HealthProbe/GetInstanceHealth\"") >= 2);
        Assert.True(Has(after, "target_info", "service_instance_id=\"aio-metrics-1\""));
        // Database pool use (Npgsql's meter).
        Assert.True(Has(after, "db_client_connection_count", "db_client_connection_state=\"used\""));
        Assert.True(Value(after, "db_client_connection_max") > 0);
        // No password in any series (the pool's name is its connection string, without the password).
        Assert.DoesNotContain(after, s => s.Labels.Contains(TestSecrets.Password, StringComparison.Ordinal));

        // An instance killed: its health series drop, the ready set shrinks.
        await fleet.Agents[1].Process.KillAsync();
        var down = await UntilAsync(allInOne, m => Value(m, "controlplane_readyset_size", "app=\"grafana\"") == 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1, Value(down, "controlplane_fleet_instances", "state=\"healthy\""));
        Assert.True(Value(down, "controlplane_probe_failures_total", "instance=\"gf-2\"") >= 2);
        Directory.Delete(folder, recursive: true);
    }
}
