using System.Net;
using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Net.Client;

namespace ControlPlane.SystemTests;

/// <summary>Registry hosts as real processes on the real PostgreSQL and RabbitMQ.</summary>
public class RegistryReplicaTests
{
    private const string Host = "ControlPlane.Registry.Host";

    [Fact]
    public async Task ThreeReplicasStartedAtOnceOnAnEmptyDatabaseAllBecomeReadyWithOneSetOfMigrations()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await ThreeReplicasMigrateOnceAsync(database.ConnectionString, "postgresql", database.ScalarAsync<long>);
    }

    [Fact]
    public async Task ThreeReplicasStartedAtOnceOnAnEmptyMariaDbDatabaseAllBecomeReadyWithOneSetOfMigrations()
    {
        await using var database = await MariaDbDatabase.CreateAsync();
        await ThreeReplicasMigrateOnceAsync(database.ConnectionString, "mysql", database.ScalarAsync<long>);
    }

    private static async Task ThreeReplicasMigrateOnceAsync(string connectionString, string provider, Func<string, Task<long>> scalar)
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var environment = new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        };
        var replicas = Enumerable.Range(1, 3)
            .Select(i => ServiceProcess.Start(Host, new Dictionary<string, string>(environment) { ["ControlPlane__InstanceId"] = $"registry-{i}" }))
            .ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));

            Assert.All(replicas, r => Assert.False(r.HasExited, r.Output));
            Assert.Equal(1, await scalar("SELECT count(*) FROM __registry_migrations"));
            Assert.Equal(1, await scalar("SELECT count(*) FROM __access_migrations"));
            var versions = new HashSet<string>();
            foreach (var replica in replicas)
            {
                using var health = JsonDocument.Parse(await replica.Http.GetStringAsync("/api/health"));
                versions.Add(health.RootElement.GetProperty("schemaVersion").GetProperty("registry").GetString()!);
                Assert.Equal("ok", health.RootElement.GetProperty("database").GetString());
                Assert.Equal(provider, health.RootElement.GetProperty("databaseProvider").GetString());
            }
            Assert.Single(versions);

            // Each replica serves the shared state.
            using var first = TestCredentials.Channel(replicas[0].GrpcUrl);
            await new Api.V1.Registry.RegistryClient(first).UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana" } });
            foreach (var replica in replicas)
            {
                using var channel = TestCredentials.Channel(replica.GrpcUrl);
                var app = await new Api.V1.Registry.RegistryClient(channel).GetAppAsync(new GetAppRequest { Name = "grafana" });
                Assert.Equal("grafana", app.Name);
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task HighAvailabilityOnSqliteRefusesToStartAndSaysWhy()
    {
        await using var registry = ServiceProcess.Start(Host, new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = "Data Source=/tmp/cp-refused.db",
            ["ConnectionStrings__RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/",
        });

        var exitCode = await registry.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("cannot run on SQLite", registry.Output);
        Assert.False(File.Exists("/tmp/cp-refused.db"));
    }

    [Fact]
    public async Task WithPostgresUnreachableAReplicaIsAliveButNotReadyAndSaysWhy()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var closedPort = FreePorts.Next();
        await using var registry = ServiceProcess.Start(Host, new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = $"Host=127.0.0.1;Port={closedPort};Username=cp;Password=secret-password;Timeout=2",
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpResponseMessage? ready = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                ready = await registry.Http.GetAsync("/readyz");
                break;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }
        Assert.NotNull(ready);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready!.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await registry.Http.GetAsync("/livez")).StatusCode);
        var health = await registry.Http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"database\":\"failing\"", await health.Content.ReadAsStringAsync());

        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        var call = new Api.V1.Registry.RegistryClient(channel).GetAppAsync(new GetAppRequest { Name = "grafana" });
        var error = await RpcAssert.ThrowsAsync(Grpc.Core.StatusCode.Unavailable, () => call.ResponseAsync);
        Assert.Contains("database not ready", error.Status.Detail);

        // It keeps retrying and says why (the first attempt may still be under way on a busy machine). The first
        // schema it migrates is the access one (API keys), which every service has.
        var logged = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!registry.Output.Contains("Migrating access failed, retrying", StringComparison.Ordinal) && DateTime.UtcNow < logged)
        {
            await Task.Delay(200);
        }
        Assert.Contains("Migrating access failed, retrying", registry.Output);
        Assert.False(registry.HasExited);
        Assert.DoesNotContain("secret-password", registry.Output);
    }
}
