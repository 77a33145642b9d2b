using Microsoft.Extensions.Logging;

namespace ControlPlane.Registry.Domain;

internal static partial class RegistryLog
{
    [LoggerMessage(2001, LogLevel.Warning, "Writing {Count} lease renewals failed, kept for the next round: {Reason}")]
    public static partial void HeartbeatFlushFailed(ILogger logger, int count, string reason);

    [LoggerMessage(2002, LogLevel.Information, "Lease of {InstanceId} ({App}) expired")]
    public static partial void InstanceExpired(ILogger logger, string instanceId, string app);

    [LoggerMessage(2003, LogLevel.Information, "Removed {InstanceId} ({App}) after its lease stayed expired")]
    public static partial void InstanceRemoved(ILogger logger, string instanceId, string app);
}
