using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Net.Client;
using static ControlPlane.Cpctl.Tests.CpctlProcess;

namespace ControlPlane.Cpctl.Tests;

/// <summary>`cpctl doctor` against Registry replicas run as real processes on real PostgreSQL, RabbitMQ and Redis.</summary>
public class DoctorTests
{
    [Fact]
    public async Task DoctorPassesOnTwoHealthyHaReplicasAndWarnsWhenOneTakesAllTheRequests()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var first = StartReplica(HighAvailability(database, vhost));
        await using var second = StartReplica(HighAvailability(database, vhost));
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        // One replica by its HTTP port, the other by its gRPC port: doctor reads /api/health on either.
        var doctor = await RunAsync(first.GrpcUrl, "doctor", "--replica", first.HttpUrl, "--replica", second.GrpcUrl, "-o", "json");
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.True(doctor.Node["ok"]!.GetValue<bool>());
        var checks = Checks(doctor.Node);
        Assert.All(checks.Values, c => Assert.Equal("pass", c["status"]!.GetValue<string>()));
        Assert.Contains("every replica runs high-availability on postgresql", checks["same HA setting"]["message"]!.GetValue<string>());
        Assert.Contains("every replica configured with Redis reaches it", checks["cache reachable"]["message"]!.GetValue<string>());
        var replicas = doctor.Node["replicas"]!.AsArray();
        AssertSameJson(await ApiHealthAsync(first), replicas[0]!["health"]!);
        AssertSameJson(await ApiHealthAsync(second), replicas[1]!["health"]!);

        using (var channel = TestCredentials.Channel(first.GrpcUrl))
        {
            var registry = new Api.V1.Registry.RegistryClient(channel);
            for (var i = 0; i < TrafficCalls; i++)
            {
                await registry.ListAppsAsync(new ListAppsRequest());
            }
        }
        var skewed = await RunAsync(first.GrpcUrl, "doctor", "--replica", first.HttpUrl, "--replica", second.HttpUrl, "-o", "json");
        Assert.True(skewed.ExitCode == 0, skewed.ToString());
        var distribution = Checks(skewed.Node)["request distribution"];
        Assert.Equal("warn", distribution["status"]!.GetValue<string>());
        Assert.Contains("unevenly spread", distribution["message"]!.GetValue<string>());
        Assert.True(skewed.Node["replicas"]![0]!["traffic"]!["requests"]!.GetValue<long>() >= TrafficCalls);
    }

    [Fact]
    public async Task DoctorNamesTheCacheEachReplicaUsesAndFailsWhenReplicasUseDifferentOnes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var onMemcached = HighAvailability(database, vhost);
        onMemcached.Remove("ConnectionStrings__Redis");
        onMemcached["ConnectionStrings__Memcached"] = BackingServices.Memcached;
        await using var memcached = StartReplica(onMemcached);
        await using var redis = StartReplica(HighAvailability(database, vhost));
        await memcached.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await redis.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        Assert.Equal("memcached", (await ApiHealthAsync(memcached))["cacheKind"]!.GetValue<string>());
        Assert.Equal("redis", (await ApiHealthAsync(redis))["cacheKind"]!.GetValue<string>());

        var alone = await RunAsync(memcached.GrpcUrl, "doctor", "--replica", memcached.HttpUrl, "-o", "json");
        var cache = Checks(alone.Node)["cache reachable"];
        Assert.Equal("pass", cache["status"]!.GetValue<string>());
        Assert.Contains("every replica configured with Memcached reaches it", cache["message"]!.GetValue<string>());

        var mixed = await RunAsync(memcached.GrpcUrl, "doctor", "--replica", memcached.HttpUrl, "--replica", redis.HttpUrl, "-o", "json");
        Assert.NotEqual(0, mixed.ExitCode);
        cache = Checks(mixed.Node)["cache reachable"];
        Assert.Equal("fail", cache["status"]!.GetValue<string>());
        Assert.Contains("replicas use different caches", cache["message"]!.GetValue<string>());
        Assert.Contains("Memcached on", cache["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DoctorFailsInWordsWhenAReplicaIsUnreachableOrInAnotherMode()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var folder = InProcessHost.NewFolder();
        await using var ha = StartReplica(HighAvailability(database, vhost));
        await using var single = StartReplica(new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "single.db")}",
        });
        await ha.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await single.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var unreachable = $"http://127.0.0.1:{FreePorts.Next()}";

        var doctor = await RunAsync(ha.GrpcUrl, "doctor", "--replica", ha.HttpUrl, "--replica", single.HttpUrl, "--replica", unreachable);
        Assert.Equal(1, doctor.ExitCode);
        var words = string.Join(' ', doctor.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{unreachable} did not answer /api/health", words);
        Assert.Contains("replicas disagree on ControlPlane:HighAvailability", words);
        Assert.True(doctor.Errors.Contains("cpctl: 2 check(s) failed"), doctor.ToString());
        Assert.DoesNotContain("   at ", doctor.Output + doctor.Errors);

        var json = await RunAsync(ha.GrpcUrl, "doctor", "--replica", ha.HttpUrl, "--replica", single.GrpcUrl, "-o", "json");
        Assert.Equal(1, json.ExitCode);
        var mode = Checks(json.Node)["same HA setting"];
        Assert.Equal("fail", mode["status"]!.GetValue<string>());
        Assert.Contains($"{single.GrpcUrl} (", mode["message"]!.GetValue<string>());
        Assert.Contains("run single-instance", mode["message"]!.GetValue<string>());
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The replica's database file may still be held for a moment: the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task DoctorNamesTheDatabaseProviderAndFailsWhenReplicasUseDifferentOnes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var mariaDb = await MariaDbDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var onMariaDb = HighAvailability(database, vhost);
        onMariaDb["ConnectionStrings__ControlPlane"] = mariaDb.ConnectionString;
        await using var mysql = StartReplica(onMariaDb);
        await using var postgres = StartReplica(HighAvailability(database, vhost));
        await mysql.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await postgres.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        var alone = await RunAsync(mysql.GrpcUrl, "doctor", "--replica", mysql.HttpUrl, "-o", "json");
        Assert.Contains("every replica runs high-availability on mysql", Checks(alone.Node)["same HA setting"]["message"]!.GetValue<string>());

        var mixed = await RunAsync(mysql.GrpcUrl, "doctor", "--replica", mysql.HttpUrl, "--replica", postgres.HttpUrl, "-o", "json");
        Assert.Equal(1, mixed.ExitCode);
        var mode = Checks(mixed.Node)["same HA setting"];
        Assert.Equal("fail", mode["status"]!.GetValue<string>());
        var message = mode["message"]!.GetValue<string>();
        Assert.Contains("different database providers", message);
        Assert.Contains(" on mysql", message);
        Assert.Contains(" on postgresql", message);
    }

    private const int TrafficCalls = 120;

    private static Dictionary<string, string> HighAvailability(PostgresDatabase database, RabbitMqVhost vhost) => new()
    {
        ["ControlPlane__HighAvailability"] = "true",
        ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
        ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        ["ConnectionStrings__Redis"] = BackingServices.Redis,
    };

    private static ServiceProcess StartReplica(Dictionary<string, string> environment)
    {
        environment["ControlPlane__InstanceId"] = $"registry-{Guid.NewGuid():N}"[..17];
        environment["Logging__LogLevel__Default"] = "Warning";
        return ServiceProcess.Start("ControlPlane.Registry.Host", environment);
    }

    private static async Task<JsonNode> ApiHealthAsync(ServiceProcess replica) =>
        (await replica.Http.GetFromJsonAsync<JsonNode>("/api/health"))!;

    private static Dictionary<string, JsonNode> Checks(JsonNode doctor) =>
        doctor["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
}
