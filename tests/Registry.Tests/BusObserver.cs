using System.Text.Json;
using ControlPlane.Testing;
using RabbitMQ.Client;

namespace ControlPlane.Registry.Tests;

/// <summary>
/// A plain AMQP consumer (RabbitMQ.Client, no MassTransit) on a durable queue bound to one message type's
/// exchange, so it keeps what is published even across a broker restart.
/// </summary>
public sealed class BusObserver : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BusObserver(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<BusObserver> BindAsync(RabbitMqVhost vhost, string exchange)
    {
        var observer = await ReconnectAsync(vhost, exchange);
        // Declared as MassTransit declares it (durable fanout), so whichever side comes first, both agree.
        await observer._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await observer._channel.QueueDeclareAsync(observer.QueueName, durable: true, exclusive: false, autoDelete: false);
        await observer._channel.QueueBindAsync(observer.QueueName, exchange, "");
        return observer;
    }

    /// <summary>A new connection to the queue bound to <paramref name="exchange"/> (after a broker restart).</summary>
    public static async Task<BusObserver> ReconnectAsync(RabbitMqVhost vhost, string exchange)
    {
        var factory = new ConnectionFactory { Uri = new Uri(vhost.ConnectionString) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        return new BusObserver(connection, channel) { QueueName = $"test-observer-{exchange}" };
    }

    public string QueueName { get; private init; } = "";

    /// <summary>The next message's body (the "message" of MassTransit's envelope), waiting up to <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await TryNextAsync() is { } message)
            {
                return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived on {QueueName} within {timeout}");
    }

    public async Task<JsonElement?> TryNextAsync()
    {
        var result = await _channel.BasicGetAsync(QueueName, autoAck: true);
        if (result is null)
        {
            return null;
        }
        using var envelope = JsonDocument.Parse(result.Body);
        return envelope.RootElement.GetProperty("message").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
