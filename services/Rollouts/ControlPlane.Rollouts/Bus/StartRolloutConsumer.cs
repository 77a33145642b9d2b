using ControlPlane.Contracts;
using MassTransit;

namespace ControlPlane.Rollouts.Bus;

/// <summary>The MassTransit StartRollout command. A rejected command is faulted on purpose, so it lands in the error queue.</summary>
public sealed class StartRolloutConsumer(StartRequests starts) : IConsumer<StartRollout>
{
    public async Task Consume(ConsumeContext<StartRollout> context)
    {
        var messageId = context.MessageId?.ToString() ?? "";
        if (await starts.HandleAsync(context.Message, messageId, context.CancellationToken) is { } reason)
        {
            throw new RolloutRejectedException(reason);
        }
    }
}

public sealed class RolloutRejectedException(string reason) : Exception(reason);
