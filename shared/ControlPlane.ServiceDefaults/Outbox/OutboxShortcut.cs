using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ServiceDefaults.Outbox;

/// <summary>
/// Publishes a committed outbox message at once, from memory, for consumers that wait on it (other replicas'
/// watchers): the dispatcher's claim of the row is a database round trip on the way, and under load its slowest.
/// Best effort and never awaited by the writer: the outbox row still goes out under the same message id, so a
/// copy lost here (the broker down, this replica gone) arrives anyway, and consumers take the repeat as a no-op.
/// </summary>
public sealed class OutboxShortcut(IServiceProvider services)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public void Publish<T>(T message, Guid messageId) where T : class
    {
        if (services.GetService<IBus>() is { } bus)
        {
            _ = PublishAsync(bus, message, messageId);
        }
    }

    private static async Task PublishAsync<T>(IBus bus, T message, Guid messageId) where T : class
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await bus.Publish(message, c => c.MessageId = messageId, timeout.Token);
        }
        catch (Exception)
        {
            // The outbox copy follows.
        }
    }
}
