using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using ControlPlane.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Registry.Tests;

/// <summary>DESIGN §8: a round longer than the lease's TTL keeps the lease; a round whose lease is taken away stops.</summary>
public class LongLeasedRoundTests
{
    [Fact]
    public async Task ARoundLongerThanTheTtlKeepsItsLeaseAndNoOtherReplicaRunsMeanwhile()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var rounds = new Rounds();
        await using var a = await StartAsync(database, "replica-a", rounds);
        await using var b = await StartAsync(database, "replica-b", rounds);
        await Eventually.TrueAsync(() => Task.FromResult(rounds.Finished.Count >= 2), TimeSpan.FromSeconds(30), "two long rounds finished");

        // Each round lasts three TTLs: without renewal during the round, the other replica would take over in each.
        var all = rounds.Finished.OrderBy(r => r.Start).ToList();
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Start >= all[i - 1].End,
                $"{all[i].Replica}'s round began {(all[i - 1].End - all[i].Start).TotalMilliseconds:F0} ms before {all[i - 1].Replica}'s ended");
        }
        Assert.DoesNotContain(all, r => r.Cancelled);
    }

    [Fact]
    public async Task ARoundWhoseLeaseIsTakenAwayIsCancelledWithinTheTtl()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var rounds = new Rounds();
        await using var holder = await StartAsync(database, "replica-a", rounds);
        await Eventually.TrueAsync(() => Task.FromResult(rounds.Running > 0), TimeSpan.FromSeconds(30), "a round running");

        // Another replica took the lease (as after this one was paused past its expiry).
        await database.ScalarAsync<int>(
            $"UPDATE registry_leases SET \"Holder\" = 'thief', \"Token\" = \"Token\" + 1, \"ExpiresAtMs\" = (extract(epoch from clock_timestamp()) * 1000)::bigint + 60000 WHERE \"Name\" = '{SlowJob.Name}' RETURNING 1");
        var taken = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(rounds.Finished.Any(r => r.Cancelled)), TimeSpan.FromSeconds(10), "the round cancelled");
        Assert.True(taken.Elapsed < SlowJob.Ttl, $"cancelled {taken.Elapsed.TotalMilliseconds:F0} ms after the lease was taken");
    }

    private static Task<InProcessHost> StartAsync(PostgresDatabase database, string replica, Rounds rounds) =>
        InProcessHost.StartAsync(
            b =>
            {
                b.AddRegistry();
                b.Services.AddSingleton(rounds);
                b.Services.AddHostedService<SlowJob>();
            },
            a => a.MapRegistry(),
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:ControlPlane"] = database.ConnectionString,
                ["ControlPlane:InstanceId"] = replica,
            });

    private sealed record Round(string Replica, DateTime Start, DateTime End, bool Cancelled);

    private sealed class Rounds
    {
        private int _running;

        public ConcurrentBag<Round> Finished { get; } = [];

        public int Running => Volatile.Read(ref _running);

        public async Task RunAsync(string replica, CancellationToken cancellationToken)
        {
            var start = DateTime.UtcNow;
            Interlocked.Increment(ref _running);
            var cancelled = false;
            try
            {
                await Task.Delay(SlowJob.Ttl * 3, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Finished.Add(new Round(replica, start, DateTime.UtcNow, cancelled));
            }
        }
    }

    private sealed class SlowJob(
        IServiceScopeFactory scopes,
        DatabaseStatus database,
        IOptions<ControlPlaneOptions> options,
        Rounds rounds,
        ILogger<SlowJob> logger)
        : LeasedJob<RegistryDbContext>(scopes, database, options, TimeProvider.System, logger)
    {
        public const string Name = "test-slow-job";

        public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1.5);

        private readonly string _replica = options.Value.InstanceId;

        protected override string LeaseName => Name;

        protected override TimeSpan LeaseTtl => Ttl;

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(100);

        protected override Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken) =>
            rounds.RunAsync(_replica, cancellationToken);
    }
}
