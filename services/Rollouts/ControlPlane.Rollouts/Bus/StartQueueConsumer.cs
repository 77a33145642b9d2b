using System.Diagnostics;
using System.Text;
using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ControlPlane.Rollouts.Bus;

/// <summary>
/// Consumes plain JSON (no MassTransit envelope) from the documented queue controlplane.rollouts.start. A plain AMQP
/// consumer rather than a MassTransit raw-JSON endpoint: MassTransit fails an unparseable body before any consumer
/// runs, and this trigger must answer every bad message with RolloutRejected and the reason. A rejected message is
/// copied to controlplane.rollouts.start_error (reason in the x-reject-reason header) and then acknowledged, so
/// nothing is dropped and nothing is redelivered forever. Only messages whose AMQP user_id is one of
/// Rollouts:StartQueueUsers may start a rollout (<see cref="StartPublishers"/>). Besides the default exchange, the
/// queue is bound to a fanout exchange of its own name, so a trigger user needs write on that exchange only: write on
/// the default exchange reaches every queue, the Agents' command queues included.
/// </summary>
public sealed class StartQueueConsumer(
    ServiceMode mode,
    IOptions<RolloutsOptions> options,
    IServiceScopeFactory scopes,
    ILogger<StartQueueConsumer> logger) : BackgroundService
{
    private readonly StartPublishers _publishers = StartPublishers.From(options.Value, mode.RabbitMqConnectionString!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RolloutsLog.StartQueueUsers(logger, options.Value.StartQueue, string.Join(", ", _publishers.Allowed.Order(StringComparer.Ordinal)));
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RolloutsLog.StartQueueFailed(logger, delay, ex.GetBaseException().Message);
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var queue = options.Value.StartQueue;
        var errorQueue = queue + "_error";
        var factory = new ConnectionFactory { Uri = new Uri(mode.RabbitMqConnectionString!), ClientProvidedName = "rollouts-start-queue" };
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(queue, queue, "", cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, 1, false, stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, _) => { closed.TrySetResult(); return Task.CompletedTask; };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var messageId = delivery.BasicProperties.MessageId is { Length: > 0 } id ? id : "";
            var reason = await HandleAsync(
                delivery.Body.Span.ToArray(), messageId, delivery.BasicProperties.UserId, Header(delivery, "traceparent"), stoppingToken);
            if (reason is not null)
            {
                var properties = new BasicProperties
                {
                    Persistent = true,
                    MessageId = messageId.Length > 0 ? messageId : null,
                    ContentType = delivery.BasicProperties.ContentType,
                    Headers = new Dictionary<string, object?> { ["x-reject-reason"] = Encoding.UTF8.GetBytes(reason) },
                };
                await channel.BasicPublishAsync("", errorQueue, mandatory: false, properties, delivery.Body, stoppingToken);
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
        await closed.Task.WaitAsync(stoppingToken);
    }

    private async Task<string?> HandleAsync(byte[] body, string messageId, string? userId, string? traceparentHeader, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var starts = scope.ServiceProvider.GetRequiredService<StartRequests>();
        var (command, error, traceparent) = StartDocument.Parse(body);
        // The sender's trace (body field first, else the AMQP header) becomes the parent of the whole rollout.
        ActivityContext.TryParse(traceparent ?? traceparentHeader ?? "", null, isRemote: true, out var parent);
        using var span = RolloutsTelemetry.Source.StartActivity($"{options.Value.StartQueue} receive", ActivityKind.Consumer, parent);
        span?.SetTag("messaging.system", "rabbitmq");
        span?.SetTag("messaging.destination.name", options.Value.StartQueue);
        span?.SetTag("messaging.message.id", messageId);
        // The sender is checked before the body: an unauthorized message starts nothing, whatever it holds. Its app
        // and request_id (when the body has them) still go into the rejection, so the sender can match it up.
        var refused = _publishers.Refuse(userId);
        var reason = (refused, command) switch
        {
            ({ } notAllowed, _) => await starts.RejectAsync(
                command?.App ?? "", notAllowed, command?.RequestId is { Length: > 0 } requestId ? requestId : messageId, messageId, cancellationToken),
            (null, null) => await starts.RejectAsync("", error!, "", messageId, cancellationToken),
            (null, { } start) => await starts.HandleAsync(start, messageId, cancellationToken),
        };
        if (reason is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, reason);
        }
        return reason;
    }

    private static string? Header(BasicDeliverEventArgs delivery, string name) =>
        delivery.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), string text => text, _ => null }
            : null;
}
