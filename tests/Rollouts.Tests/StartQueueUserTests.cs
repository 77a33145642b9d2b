using System.Text;
using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ControlPlane.Rollouts.Tests;

/// <summary>
/// Who may start a rollout by message: only the broker users in Rollouts:StartQueueUsers, known by the AMQP user_id
/// that RabbitMQ itself checks. Real broker users, each with write on the vhost.
/// </summary>
public sealed class StartQueueUserTests
{
    private const string Exchange = "controlplane.rollouts.start";

    [Fact]
    public async Task Only_an_allowed_broker_user_starts_a_rollout_and_the_others_are_rejected_to_the_error_queue_with_the_reason()
    {
        await using var fleet = await RolloutFleet.StartAsync(withRollouts: false);
        await fleet.AddInstancesAsync(1); // a rollout needs an instance to roll out to
        await using var trigger = await RabbitMqUser.CreateAsync(fleet.Vhost, "trigger");
        await using var stranger = await RabbitMqUser.CreateAsync(fleet.Vhost, "stranger");
        await using var rollouts = await InProcessHost.StartAsync(b => b.AddRollouts(), a => a.MapRollouts(), new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = fleet.Vhost.ConnectionString,
            ["ConnectionStrings:ControlPlane"] = $"Data Source={Path.Combine(fleet.Folder, "rollouts.db")}",
            ["Rollouts:RegistryUrl"] = fleet.Host.GrpcUrl,
            ["Rollouts:HealthProbeUrl"] = fleet.Host.GrpcUrl,
            ["Rollouts:StartQueueUsers:0"] = trigger.Name,
        });
        var client = new Api.V1.Rollouts.RolloutsClient(rollouts.Channel);
        await using var answers = await AnswersAsync(fleet.Vhost.ConnectionString);
        await answers.WaitForStartQueueConsumerAsync();

        await PublishAsync(stranger, stranger.Name, """{"app":"grafana","version":"2.0","request_id":"from-stranger"}""");
        await PublishAsync(trigger, null, """{"app":"grafana","version":"2.0","request_id":"no-user-id"}""");
        await PublishAsync(trigger, trigger.Name, """{"app":"grafana","version":"2.0","request_id":"from-trigger"}""");

        var received = await answers.TakeAsync(3);
        var reasons = received.Where(a => a.TryGetProperty("reason", out _)).Select(a => a.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains(reasons, r => r.Contains($"AMQP user_id '{stranger.Name}' may not start rollouts", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("no AMQP user_id", StringComparison.Ordinal));
        var accepted = Assert.Single(received, a => a.TryGetProperty("rolloutId", out _));
        var rollout = await client.GetRolloutAsync(new GetRolloutRequest { RolloutId = accepted.GetProperty("rolloutId").GetString()! });
        Assert.Equal("from-trigger", rollout.RequestId);
        Assert.Single((await client.ListRolloutsAsync(new ListRolloutsRequest { App = RolloutFleet.App })).Rollouts);

        var errors = await answers.ErrorQueueReasonsAsync(2);
        Assert.Contains(errors, r => r.Contains(stranger.Name, StringComparison.Ordinal));
        Assert.Contains(errors, r => r.StartsWith("no AMQP user_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_broker_refuses_a_message_whose_user_id_is_not_its_senders()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var stranger = await RabbitMqUser.CreateAsync(vhost, "stranger");
        var factory = new ConnectionFactory { Uri = new Uri(stranger.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);

        var forged = new BasicProperties { ContentType = "application/json", UserId = "cp-trigger" };
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync(Exchange, "", mandatory: false, forged, Encoding.UTF8.GetBytes("{}")));
        Assert.Contains("user_id property set to 'cp-trigger' but authenticated user was", refused.ToString());
    }

    private static async Task PublishAsync(RabbitMqUser user, string? userId, string json)
    {
        var factory = new ConnectionFactory { Uri = new Uri(user.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // The documented exchange of the start queue (declared by Rollouts at start; declaring it again is harmless).
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.BasicPublishAsync(Exchange, "", mandatory: false, new BasicProperties { ContentType = "application/json", UserId = userId },
            Encoding.UTF8.GetBytes(json));
    }

    private static async Task<Answers> AnswersAsync(string connectionString)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("test-answers", durable: true, exclusive: false, autoDelete: false);
        foreach (var exchange in new[] { "ControlPlane.Contracts:RolloutAccepted", "ControlPlane.Contracts:RolloutRejected" })
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync("test-answers", exchange, "");
        }
        return new Answers(connection, channel);
    }

    /// <summary>The RolloutAccepted/RolloutRejected events, read from a plain queue bound to their exchanges.</summary>
    private sealed class Answers(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        public async Task<List<JsonElement>> TakeAsync(int count)
        {
            var answers = new List<JsonElement>();
            await RolloutFleet.WaitForAsync(async () =>
            {
                if (await channel.BasicGetAsync("test-answers", autoAck: true) is { } got)
                {
                    answers.Add(JsonDocument.Parse(got.Body).RootElement.GetProperty("message").Clone());
                }
                return answers.Count == count;
            }, TimeSpan.FromSeconds(30), $"{count} answers", () => string.Join("\n", answers));
            return answers;
        }

        /// <summary>Until Rollouts consumes the start queue (and so has bound it to its exchange).</summary>
        public async Task WaitForStartQueueConsumerAsync() =>
            await RolloutFleet.WaitForAsync(async () =>
            {
                // A passive declare of a missing queue closes its channel: a fresh one each time.
                await using var probe = await connection.CreateChannelAsync();
                try
                {
                    return (await probe.QueueDeclarePassiveAsync(Exchange)).ConsumerCount > 0;
                }
                catch (OperationInterruptedException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "Rollouts consuming the start queue");

        /// <summary>The x-reject-reason headers of what was moved to the error queue.</summary>
        public async Task<List<string>> ErrorQueueReasonsAsync(int count)
        {
            var reasons = new List<string>();
            await RolloutFleet.WaitForAsync(async () =>
            {
                if (await channel.BasicGetAsync(Exchange + "_error", autoAck: true) is { } got)
                {
                    reasons.Add(Encoding.UTF8.GetString((byte[])got.BasicProperties.Headers!["x-reject-reason"]!));
                }
                return reasons.Count == count;
            }, TimeSpan.FromSeconds(30), $"{count} messages in the error queue", () => string.Join("\n", reasons));
            return reasons;
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
