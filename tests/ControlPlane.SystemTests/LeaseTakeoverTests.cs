using System.Diagnostics;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>The Registry's reaper runs on exactly one replica, under a database lease (default TTL 10 s).</summary>
public class LeaseTakeoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AKilledHolderIsReplacedWithinTtlPlusOneSecondAndAPausedOneDoesNotActAfterTakeover()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var replicas = new Dictionary<string, ServiceProcess>();
        try
        {
            foreach (var id in new[] { "r-1", "r-2", "r-3" })
            {
                replicas[id] = ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
                {
                    ["ControlPlane__HighAvailability"] = "true",
                    ["ControlPlane__InstanceId"] = id,
                    ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
                    ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
                });
            }
            await Task.WhenAll(replicas.Values.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            var (holder, token) = await WaitForHolderAsync(database, _ => true, TimeSpan.FromSeconds(10));

            // kill -9: nothing is released; another replica takes over when the lease runs out.
            var killed = Stopwatch.StartNew();
            await replicas[holder].KillAsync();
            var (successor, successorToken) = await WaitForHolderAsync(database, h => h != holder, Ttl + TimeSpan.FromSeconds(5));
            var takeover = killed.Elapsed;
            output.WriteLine($"registry-reaper taken over by {successor} {takeover.TotalSeconds:F2} s after kill -9 of {holder} (TTL {Ttl.TotalSeconds:0} s)");
            Assert.True(takeover <= Ttl + TimeSpan.FromSeconds(1), $"taken over after {takeover.TotalSeconds:F1} s");
            Assert.True(successorToken > token, "a new holder gets a new fencing token");

            // SIGSTOP: the paused holder loses the lease while it cannot renew it...
            await replicas[successor].SignalAsync("STOP");
            var (third, thirdToken) = await WaitForHolderAsync(database, h => h != successor && h != holder, Ttl + TimeSpan.FromSeconds(5));
            await replicas[successor].SignalAsync("CONT");

            // ...and once resumed it does not act: the lease stays with the new holder, and it says it lost it.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal((third, thirdToken), await HolderAsync(database));
            Assert.Contains($"Lease registry-reaper for {successor}: held=False", replicas[successor].Output);
        }
        finally
        {
            foreach (var replica in replicas.Values)
            {
                await replica.SignalAsync("CONT");
                await replica.DisposeAsync();
            }
        }
    }

    private static async Task<(string Holder, long Token)> HolderAsync(PostgresDatabase database)
    {
        var row = await database.ScalarAsync<string>(
            "SELECT \"Holder\" || ' ' || \"Token\" FROM registry_leases WHERE \"Name\" = 'registry-reaper' AND \"ExpiresAtMs\" > (extract(epoch from now()) * 1000)::bigint") ?? " 0";
        var parts = row.Split(' ');
        return (parts[0], long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<(string Holder, long Token)> WaitForHolderAsync(PostgresDatabase database, Func<string, bool> accept, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (holder, token) = await HolderAsync(database);
            if (holder.Length > 0 && accept(holder))
            {
                return (holder, token);
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no replica took the registry-reaper lease in time");
    }
}
