using Microsoft.Extensions.Logging;

namespace ControlPlane.HealthProbe;

internal static partial class HealthProbeLog
{
    [LoggerMessage(3001, LogLevel.Warning, "Writing {Count} health transitions failed, retrying in {Delay}: {Reason}")]
    public static partial void TransitionsNotWritten(ILogger logger, int count, TimeSpan delay, string reason);

    [LoggerMessage(3002, LogLevel.Warning, "Following the Registry failed, starting over in {Delay}: {Reason}")]
    public static partial void FeedFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(3003, LogLevel.Information, "Following the Registry: {Instances} instances of {Apps} apps at revision {Revision}")]
    public static partial void FeedListed(ILogger logger, int instances, int apps, long revision);

    [LoggerMessage(3004, LogLevel.Information, "{InstanceId} ({App}) is now {State}: {Reason}")]
    public static partial void StateChanged(ILogger logger, string instanceId, string app, string state, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Prober membership not renewed this round: {Reason}")]
    public static partial void MembershipFailed(ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Information, "Prober replicas now: {Members}")]
    public static partial void MembersChanged(ILogger logger, string members);
}
