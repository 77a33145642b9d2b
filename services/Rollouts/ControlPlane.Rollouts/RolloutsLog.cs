using Microsoft.Extensions.Logging;

namespace ControlPlane.Rollouts;

internal static partial class RolloutsLog
{
    [LoggerMessage(4001, LogLevel.Warning, "Driving rollout {RolloutId} failed, retrying: {Reason}")]
    public static partial void PassFailed(ILogger logger, string rolloutId, string reason);

    [LoggerMessage(4002, LogLevel.Warning, "Rollout start request {MessageId} rejected: {Reason}")]
    public static partial void StartRejected(ILogger logger, string messageId, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "The start queue consumer failed, reconnecting in {Delay}: {Reason}")]
    public static partial void StartQueueFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(4004, LogLevel.Information, "The start queue {Queue} starts rollouts for messages from the RabbitMQ users {Users}")]
    public static partial void StartQueueUsers(ILogger logger, string queue, string users);
}
