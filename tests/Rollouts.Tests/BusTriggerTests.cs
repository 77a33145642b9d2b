using System.Text;
using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using RabbitMQ.Client;

namespace ControlPlane.Rollouts.Tests;

public sealed class BusTriggerTests
{
    private const string Queue = "controlplane.rollouts.start";

    /// <summary>The test broker's user, who publishes and is allowed (the bus connection's user is by default).</summary>
    private static readonly string User = new Uri(BackingServices.RabbitMq).UserInfo.Split(':')[0];

    [Fact]
    public async Task PlainJsonOnTheStartQueueRunsARolloutAndBadMessagesAreRejectedToTheErrorQueue()
    {
        await using var fleet = await RolloutFleet.StartAsync();
        await fleet.AddInstancesAsync(2);
        var factory = new ConnectionFactory { Uri = new Uri(fleet.Vhost.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(Queue + "_error", durable: true, exclusive: false, autoDelete: false);
        // The answers are MassTransit events: a plain queue bound to their exchanges sees them.
        foreach (var exchange in new[] { "ControlPlane.Contracts:RolloutAccepted", "ControlPlane.Contracts:RolloutRejected" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync("test-answers", durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync("test-answers", exchange, "");
        }

        await PublishAsync(channel, "{not json");
        await PublishAsync(channel, """{"app":"nosuchapp","version":"2.0"}""");
        await PublishAsync(channel, """{"app":"grafana","version":"2.0","max_parallel":-1}""");
        await PublishAsync(channel, """{"app":"grafana","version":"2.0","max_parallel":1,"min_healthy_seconds":0.2,"request_id":"ci-42","initiator":"ci"}""");

        var answers = new List<JsonElement>();
        await RolloutFleet.WaitForAsync(async () =>
        {
            if (await channel.BasicGetAsync("test-answers", autoAck: true) is { } got)
            {
                answers.Add(JsonDocument.Parse(got.Body).RootElement.GetProperty("message").Clone());
            }
            return answers.Count == 4;
        }, TimeSpan.FromSeconds(20), "4 answers", () => string.Join("\n", answers));

        var rejected = answers.Where(a => a.TryGetProperty("reason", out _)).Select(a => a.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(3, rejected.Count);
        Assert.Contains(rejected, r => r.StartsWith("malformed JSON", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Contains("nosuchapp", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Contains("strategy.max_parallel", StringComparison.Ordinal));
        Assert.Equal(3u, (await channel.QueueDeclarePassiveAsync(Queue + "_error")).MessageCount);

        var rolloutId = answers.Single(a => a.TryGetProperty("rolloutId", out _)).GetProperty("rolloutId").GetString()!;
        var done = await fleet.WaitForStateAsync(rolloutId, RolloutState.Succeeded);
        Assert.Equal(RolloutTrigger.Bus, done.Origin.Trigger);
        Assert.Equal("ci-42", done.RequestId);
    }

    private static async Task PublishAsync(IChannel channel, string json) =>
        await channel.BasicPublishAsync("", Queue, mandatory: false, new BasicProperties { ContentType = "application/json", UserId = User }, Encoding.UTF8.GetBytes(json));
}
