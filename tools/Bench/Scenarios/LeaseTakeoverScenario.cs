using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Npgsql;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 "lease takeover after a replica dies: under lease TTL + 1 s": three Registry replicas (real processes)
/// on PostgreSQL and RabbitMQ; the holder of the registry-reaper lease is killed with SIGKILL, and we time until another
/// replica holds the lease (its row, polled) and until it acts (an instance whose lease ran out meanwhile is marked
/// EXPIRED, which only the reaper does). A fresh replica replaces the killed one before the next run.
/// </summary>
public sealed class LeaseTakeoverScenario : IBenchScenario
{
    private const string Lease = "registry-reaper";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    public string Name => "lease-takeover";

    public string Description => "kill -9 of the lease holder → another replica holds it and acts: --runs 5 [--postgres ADMIN-CONN --rabbitmq URI]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var runs = options.Int("runs", 5);
        await using var database = await ScratchDatabase.CreateAsync(options.Get("postgres", BackingServices.Postgres), cancellationToken);
        var rabbit = options.Get("rabbitmq", BackingServices.RabbitMq);
        var replicas = new Dictionary<string, ServiceProcess>();
        var held = new List<double>();
        var acted = new List<double>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                replicas[$"bench-r{i}"] = RegistryReplica.StartProcess($"bench-r{i}", database.ConnectionString, rabbit);
            }
            await Task.WhenAll(replicas.Values.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromMinutes(2))));
            using var channel = TestCredentials.Channel(replicas.Values.First().GrpcUrl);
            await new RegistryClient(channel).UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "bench" } }, cancellationToken: cancellationToken);

            for (var run = 1; run <= runs; run++)
            {
                var (holder, token) = await WaitForHolderAsync(database.ConnectionString, _ => true, TimeSpan.FromSeconds(30), cancellationToken);
                var survivor = replicas.First(r => r.Key != holder);
                using var survivorChannel = TestCredentials.Channel(survivor.Value.GrpcUrl);
                var registry = new RegistryClient(survivorChannel);
                var clock = Stopwatch.StartNew();
                var killedAt = DateTime.UtcNow;
                await replicas[holder].KillAsync();
                // Registered once the holder is dead, its lease runs out while nobody reaps: marking it EXPIRED is the
                // new holder's first act (the reaper allows 2 s of grace, so it is due well before the TTL is up).
                var victim = $"victim-{run}";
                await registry.RegisterInstanceAsync(new RegisterInstanceRequest
                {
                    InstanceId = victim, App = "bench", Address = "http://10.0.0.1:3000", Version = "1.0",
                    LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                }, cancellationToken: cancellationToken);
                var (successor, successorToken) = await WaitForHolderAsync(database.ConnectionString, h => h != holder, Ttl + TimeSpan.FromSeconds(20), cancellationToken);
                held.Add(clock.Elapsed.TotalSeconds);
                // The reaper stamps the instance with the time it acted (same machine, same clock as killedAt).
                var expiredAt = await WaitUntilExpiredAsync(database.ConnectionString, victim, Ttl + TimeSpan.FromSeconds(20), cancellationToken);
                acted.Add((expiredAt - killedAt).TotalSeconds);
                Console.WriteLine($"run {run}: {holder} (token {token}) killed; {successor} holds it (token {successorToken}) after {held[^1]:F2} s, acted after {acted[^1]:F2} s");
                foreach (var line in replicas[successor].Output.Split('\n').Where(l => l.Contains("Leased job", StringComparison.Ordinal)).TakeLast(3))
                {
                    Console.WriteLine($"  {successor}: {line}");
                }

                await replicas[holder].DisposeAsync();
                replicas.Remove(holder);
                var fresh = $"bench-r{3 + run}";
                replicas[fresh] = RegistryReplica.StartProcess(fresh, database.ConnectionString, rabbit);
                await replicas[fresh].WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
            }
        }
        finally
        {
            foreach (var replica in replicas.Values)
            {
                await replica.DisposeAsync();
            }
        }
        var limit = (Ttl + TimeSpan.FromSeconds(1)).TotalSeconds;
        Console.WriteLine($"lease takeover after kill -9 ({runs} runs, TTL {Ttl.TotalSeconds:0} s): held p50 {Percentiles.Of(held, 0.5):F2} s, max {held.Max():F2} s; " +
                          $"acted p50 {Percentiles.Of(acted, 0.5):F2} s, max {acted.Max():F2} s (target: under {limit:0} s)");
        return acted.Max() < limit ? 0 : 1;
    }

    private static async Task<(string Holder, long Token)> WaitForHolderAsync(string connectionString, Func<string, bool> accept,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand(
                "SELECT \"Holder\", \"Token\" FROM registry_leases WHERE \"Name\" = @name AND \"ExpiresAtMs\" > (extract(epoch from clock_timestamp()) * 1000)::bigint",
                connection);
            command.Parameters.AddWithValue("name", Lease);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && accept(reader.GetString(0)))
            {
                return (reader.GetString(0), reader.GetInt64(1));
            }
            await reader.DisposeAsync();
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"no replica took the {Lease} lease within {timeout}");
    }

    private static async Task<DateTime> WaitUntilExpiredAsync(string connectionString, string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand("SELECT \"ExpiredAt\" FROM registry_instances WHERE \"InstanceId\" = @id", connection);
            command.Parameters.AddWithValue("id", instanceId);
            if (await command.ExecuteScalarAsync(cancellationToken) is DateTime expiredAt)
            {
                return DateTime.SpecifyKind(expiredAt, DateTimeKind.Utc);
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"{instanceId} was not marked expired within {timeout}");
    }
}
