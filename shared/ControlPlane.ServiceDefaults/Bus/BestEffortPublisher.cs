using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ServiceDefaults.Bus;

/// <summary>
/// Publishes messages that only make something prompt (live progress, the events of a commit for other replicas'
/// watchers) and whose guaranteed path is another: nothing waits for them, and a failure or a broker outage only
/// loses the message. Never in a write's transaction: for a change's own announcement, use the outbox.
/// </summary>
public sealed class BestEffortPublisher(IServiceProvider services)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public void Publish<T>(T message) where T : class
    {
        // No bus in a host that has none (tools, some tests).
        if (services.GetService<IBus>() is { } bus)
        {
            _ = PublishAsync(bus, message);
        }
    }

    private static async Task PublishAsync<T>(IBus bus, T message) where T : class
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await bus.Publish(message, timeout.Token);
        }
        catch (Exception)
        {
            // Best effort: the guaranteed path follows.
        }
    }
}
