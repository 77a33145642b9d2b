using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>Structured log events of the shared building blocks. Messages never carry connection strings or keys.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(1001, LogLevel.Warning, "Migrating {Owner} failed, retrying in {Delay}: {Reason}")]
    public static partial void MigrationFailed(ILogger logger, string owner, TimeSpan delay, string reason);

    [LoggerMessage(1002, LogLevel.Information, "Schema of {Owner} is at {Version} ({Applied} migrations applied now)")]
    public static partial void SchemaReady(ILogger logger, string owner, string version, int applied);

    [LoggerMessage(1010, LogLevel.Warning, "Outbox of {Context} failed, retrying in {Delay}: {Reason}")]
    public static partial void OutboxFailed(ILogger logger, string context, TimeSpan delay, string reason);

    [LoggerMessage(1011, LogLevel.Warning, "Publishing {MessageType} {MessageId} failed, kept for retry: {Reason}")]
    public static partial void OutboxPublishFailed(ILogger logger, string messageType, Guid messageId, string reason);

    [LoggerMessage(1012, LogLevel.Error, "Outbox message {MessageId} has a type this build does not know: {MessageType}")]
    public static partial void OutboxUnknownType(ILogger logger, string messageType, Guid messageId);

    [LoggerMessage(1020, LogLevel.Information, "Lease {Lease} for {Holder}: held={Held} token={Token}")]
    public static partial void LeaseChanged(ILogger logger, string lease, string holder, bool held, long token);

    [LoggerMessage(1021, LogLevel.Warning, "Leased job {Lease} failed this round: {Reason}")]
    public static partial void LeasedJobFailed(ILogger logger, string lease, string reason);

    [LoggerMessage(1030, LogLevel.Warning, "Cache unavailable, reading from the database: {Reason}")]
    public static partial void CacheUnavailable(ILogger logger, string reason);

    [LoggerMessage(1031, LogLevel.Information, "Cache reachable again: dropped {Keys} entries that may have missed an invalidation")]
    public static partial void CacheDropped(ILogger logger, long keys);

    [LoggerMessage(1032, LogLevel.Information, "Cache reachable again: moved to cache generation {Generation}, so entries that may have missed an invalidation are no longer read")]
    public static partial void CacheGenerationMoved(ILogger logger, ulong generation);

    [LoggerMessage(1040, LogLevel.Warning, "{Method} answered Unavailable: {Reason}")]
    public static partial void CallUnavailable(ILogger logger, string method, string reason);

    [LoggerMessage(1041, LogLevel.Error, "{Method} failed (error id {ErrorId})")]
    public static partial void CallFailed(ILogger logger, Exception exception, string method, string errorId);
}
