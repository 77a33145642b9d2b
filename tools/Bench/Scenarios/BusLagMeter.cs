using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// How far the bus runs behind the writes: a plain AMQP consumer (no MassTransit) on a queue of its own, bound
/// to the exchanges of the given message types, takes now − the message's occurredAt for each arrival. Watchers
/// read the log, so a lagging bus can hide behind them while messages keep flowing; this shows it.
/// </summary>
public sealed class BusLagMeter : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<(DateTimeOffset OccurredAt, double LagMs)> _arrivals = new();

    private BusLagMeter(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <param name="messageTypes">MassTransit exchange names, e.g. "ControlPlane.Contracts:DriftDetected".</param>
    public static async Task<BusLagMeter> StartAsync(string rabbitMqUri, params string[] messageTypes)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMqUri), ClientProvidedName = "bench-bus-lag" };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var meter = new BusLagMeter(connection, channel);
        var queue = (await channel.QueueDeclareAsync($"bench-bus-lag-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in messageTypes)
        {
            // Declared as MassTransit declares it (durable fanout), so whichever side comes first, both agree.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var now = DateTimeOffset.UtcNow;
            using var envelope = JsonDocument.Parse(delivery.Body);
            var occurredAt = envelope.RootElement.GetProperty("message").GetProperty("occurredAt").GetDateTimeOffset();
            meter._arrivals.Enqueue((occurredAt, (now - occurredAt).TotalMilliseconds));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return meter;
    }

    /// <summary>The lags, in ms, of the messages announcing changes made at or after <paramref name="since"/>.</summary>
    public List<double> LagsSince(DateTimeOffset since) =>
        _arrivals.Where(a => a.OccurredAt >= since).Select(a => a.LagMs).ToList();

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
