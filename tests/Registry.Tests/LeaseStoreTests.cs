using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Registry.Tests;

/// <summary>Database leases with fencing tokens, on both providers' real databases.</summary>
public class LeaseStoreTests
{
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task ALeaseHasOneHolderAndATakeoverFencesTheOldHolderOut(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        await using var scope = registry.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var clock = new ManualClock();
        var ttl = TimeSpan.FromSeconds(10);

        var a = await LeaseStore.TryAcquireAsync(db, "job", "replica-a", ttl, clock, default);
        Assert.NotNull(a);
        Assert.Null(await LeaseStore.TryAcquireAsync(db, "job", "replica-b", ttl, clock, default));
        clock.Advance(TimeSpan.FromSeconds(5));
        var renewed = await LeaseStore.TryAcquireAsync(db, "job", "replica-a", ttl, clock, default);
        Assert.Equal(a!.Token, renewed!.Token);
        await LeaseStore.FenceAsync(db, renewed, clock, default);

        // replica-a stops renewing (paused, partitioned): after expiry replica-b takes over with a new token.
        clock.Advance(TimeSpan.FromSeconds(11));
        var b = await LeaseStore.TryAcquireAsync(db, "job", "replica-b", ttl, clock, default);
        Assert.NotNull(b);
        Assert.Equal(a.Token + 1, b!.Token);

        // The old holder comes back: its token is refused, and it cannot take the lease back while b renews.
        await Assert.ThrowsAsync<LeaseLostException>(() => LeaseStore.FenceAsync(db, renewed, clock, default));
        Assert.Null(await LeaseStore.TryAcquireAsync(db, "job", "replica-a", ttl, clock, default));
        await LeaseStore.FenceAsync(db, b, clock, default);

        // A released lease is free at once.
        await LeaseStore.ReleaseAsync(db, b, default);
        var again = await LeaseStore.TryAcquireAsync(db, "job", "replica-a", ttl, clock, default);
        Assert.Equal(b.Token + 1, again!.Token);
    }
}
