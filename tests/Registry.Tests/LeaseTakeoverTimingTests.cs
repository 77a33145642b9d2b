using System.Diagnostics;
using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Registry.Tests;

/// <summary>DESIGN §12: a dead holder's lease is taken over as soon as it runs out, whatever the job's own interval.</summary>
public class LeaseTakeoverTimingTests
{
    private static readonly TimeSpan HeldFor = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AWaitingReplicaTakesTheLeaseWhenItRunsOutNotAtItsNextRound()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        Dictionary<string, string?> Settings(string replica, string interval) => new()
        {
            ["ConnectionStrings:ControlPlane"] = database.ConnectionString,
            ["ControlPlane:InstanceId"] = replica,
            ["Registry:ReaperInterval"] = interval,
        };
        await using (await InProcessHost.StartAsync(x => x.AddRegistry(), x => x.MapRegistry(), Settings("replica-a", "00:00:01")))
        {
            await WaitForHolderAsync(database, "replica-a", TimeSpan.FromSeconds(30));
        }
        // Another replica took the lease and died holding it (nothing released, as after kill -9).
        await database.ScalarAsync<int>(
            $"UPDATE registry_leases SET \"Holder\" = 'dead', \"Token\" = \"Token\" + 1, \"ExpiresAtMs\" = (extract(epoch from clock_timestamp()) * 1000)::bigint + {HeldFor.TotalMilliseconds} WHERE \"Name\" = 'registry-reaper' RETURNING 1");
        var held = Stopwatch.StartNew();

        // A round a minute: had it waited for its next round instead of the holder's expiry, it would take 60 s.
        await using var waiting = await InProcessHost.StartAsync(x => x.AddRegistry(), x => x.MapRegistry(), Settings("replica-b", "00:01:00"));
        await WaitForHolderAsync(database, "replica-b", HeldFor + TimeSpan.FromSeconds(30));
        Assert.True(held.Elapsed < TimeSpan.FromSeconds(45),
            $"taken over {held.Elapsed.TotalSeconds:F1} s after the dead holder's last renewal (held for {HeldFor.TotalSeconds:0} s, rounds every 60 s)");
    }

    private static async Task WaitForHolderAsync(PostgresDatabase database, string holder, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        string? current = null;
        while (deadline.Elapsed < timeout)
        {
            current = await database.ScalarAsync<string>(
                "SELECT \"Holder\" FROM registry_leases WHERE \"Name\" = 'registry-reaper' AND \"ExpiresAtMs\" > (extract(epoch from clock_timestamp()) * 1000)::bigint");
            if (current == holder)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{holder} did not hold registry-reaper within {timeout} (holder: {current ?? "none"})");
    }
}
