using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace ControlPlane.Registry.Tests;

/// <summary>Stopping the broker affects every test that uses it: these run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageCollection
{
    public const string Name = "broker outage";
}

/// <summary>Registry events on a real RabbitMQ, observed by a plain AMQP consumer bound to MassTransit's exchange.</summary>
[Collection(BrokerOutageCollection.Name)]
public class RegistryBusTests
{
    private static async Task<RegistryHost> StartHaAsync(RabbitMqVhost vhost) =>
        await RegistryHost.StartAsync(Provider.Postgres, new Dictionary<string, string?>
        {
            ["ControlPlane:HighAvailability"] = "true",
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
        });

    [Fact]
    public async Task EveryRegistryEventIsPublishedToItsExchange()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var registry = await StartHaAsync(vhost);
        await using var registered = await BusObserver.BindAsync(vhost, "ControlPlane.Contracts:InstanceRegistered");
        await using var drained = await BusObserver.BindAsync(vhost, "ControlPlane.Contracts:InstanceDrainChanged");
        await using var commits = await BusObserver.BindAsync(vhost, "ControlPlane.Contracts:InstanceEventsCommitted");
        await registry.Client.UpsertAppAsync("grafana");

        await registry.Client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));
        await registry.Client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true, Reason = "maintenance" });

        var message = await registered.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("g-1", message.GetProperty("instanceId").GetString());
        Assert.Equal("grafana", message.GetProperty("app").GetString());
        var drain = await drained.NextAsync(TimeSpan.FromSeconds(20));
        Assert.True(drain.GetProperty("draining").GetBoolean());
        Assert.Equal("maintenance", drain.GetProperty("reason").GetString());
        Assert.True(drain.GetProperty("revision").GetInt64() > message.GetProperty("revision").GetInt64());

        // Each commit is also announced as a whole, naming its instances and its revisions.
        foreach (var revision in new[] { message.GetProperty("revision").GetInt64(), drain.GetProperty("revision").GetInt64() })
        {
            var commit = await commits.NextAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(["g-1"], commit.GetProperty("instanceIds").EnumerateArray().Select(id => id.GetString()));
            Assert.InRange(revision, commit.GetProperty("firstRevision").GetInt64(), commit.GetProperty("lastRevision").GetInt64());
        }
    }

    [Fact]
    public async Task ARowAnotherReplicaLeftInTheOutboxGoesOutWhileThisOneKeepsCommitting()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var registry = await StartHaAsync(vhost);
        await using var drained = await BusObserver.BindAsync(vhost, "ControlPlane.Contracts:InstanceDrainChanged");
        await registry.Client.UpsertAppAsync("grafana");
        await registry.Client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));

        // As a replica that committed it and died before publishing leaves it: no commit of this replica names it.
        await registry.Database!.ScalarAsync<int>("""
            INSERT INTO registry_outbox ("MessageId", "MessageType", "Payload", "CreatedAt", "Attempts")
            VALUES (gen_random_uuid(), 'ControlPlane.Contracts.InstanceDrainChanged, ControlPlane.Contracts',
                '{"instanceId":"orphan","app":"grafana","draining":true,"reason":"left behind","revision":1,"occurredAt":"2026-01-01T00:00:00+00:00"}',
                now(), 0)
            RETURNING 1
            """);

        // Commits every few milliseconds keep waking the dispatcher: the row must not wait for a quiet second.
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var i = 0; !seen.Contains("orphan") && DateTime.UtcNow < deadline; i++)
        {
            await registry.Client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = i % 2 == 0 });
            while (await drained.TryNextAsync() is { } message)
            {
                seen.Add(message.GetProperty("instanceId").GetString()!);
            }
        }
        Assert.Contains("orphan", seen);
        Assert.Contains("g-1", seen);
    }

    [Fact]
    [Trait("Category", Outage.Category)]
    public async Task RegistrationsCommitWhileRabbitMqIsDownAndTheirEventsGoOutOnceEachWhenItIsBack()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var registry = await StartHaAsync(vhost);
        await using (var observer = await BusObserver.BindAsync(vhost, "ControlPlane.Contracts:InstanceRegistered"))
        {
            await registry.Client.UpsertAppAsync("grafana");
            await registry.Client.RegisterInstanceAsync(Fleet.Instance("before", "grafana"));
            Assert.Equal("before", (await observer.NextAsync(TimeSpan.FromSeconds(20))).GetProperty("instanceId").GetString());
        }

        var during = Enumerable.Range(0, 40).Select(i => $"during-{i}").ToArray();
        try
        {
            await Broker.StopAsync();
            // More than the dispatcher publishes at once, so failed chunks and the one-message probe are both exercised.
            foreach (var id in during)
            {
                Assert.Equal(id, (await registry.Client.RegisterInstanceAsync(Fleet.Instance(id, "grafana"))).Instance.InstanceId);
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True(await registry.Database!.ScalarAsync<long>("SELECT count(*) FROM registry_outbox") >= during.Length,
                "the events wait in the outbox while the broker is down");
            // Each commit's notice, which wakes other replicas' watchers, is queued ahead of the commit's own events.
            var queued = (await registry.Database.ScalarAsync<string>(
                "SELECT string_agg(split_part(\"MessageType\", ',', 1), ' ' ORDER BY \"Sequence\") FROM registry_outbox"))!.Split(' ');
            const string Notice = "ControlPlane.Contracts.InstanceEventsCommitted";
            Assert.Equal(during.Length, queued.Count(type => type == Notice));
            Assert.Equal(Notice, queued[0]);
            Assert.All(queued.Index().Where(q => q.Item == Notice), q => Assert.NotEqual(Notice, queued.ElementAtOrDefault(q.Index + 1)));
        }
        finally
        {
            await Broker.StartAsync();
        }

        await using var after = await BusObserver.ReconnectAsync(vhost, "ControlPlane.Contracts:InstanceRegistered");
        var delivered = new List<string>();
        foreach (var _ in during)
        {
            delivered.Add((await after.NextAsync(TimeSpan.FromSeconds(60))).GetProperty("instanceId").GetString()!);
        }
        Assert.Equal(during.Order(), delivered.Order());
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(await after.TryNextAsync());
        Assert.Equal(0, await registry.Database!.ScalarAsync<long>("SELECT count(*) FROM registry_outbox"));
    }
}
