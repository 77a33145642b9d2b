using Microsoft.Extensions.Logging;

namespace ControlPlane.Agent;

internal static partial class AgentLog
{
    [LoggerMessage(5001, LogLevel.Information, "{InstanceId}: started version {Version} (process {ProcessId})")]
    public static partial void InstanceStarted(ILogger logger, string instanceId, string version, int processId);

    [LoggerMessage(5002, LogLevel.Debug, "{InstanceId}: {Line}")]
    public static partial void InstanceOutput(ILogger logger, string instanceId, string line);

    [LoggerMessage(5003, LogLevel.Information, "{InstanceId}: registered as {App} at {Address}, version {Version}")]
    public static partial void Registered(ILogger logger, string instanceId, string app, string address, string version);

    [LoggerMessage(5004, LogLevel.Warning, "{InstanceId}: talking to the Registry failed, retrying in {Delay}: {Reason}")]
    public static partial void RegistryFailed(ILogger logger, string instanceId, TimeSpan delay, string reason);

    [LoggerMessage(5005, LogLevel.Information, "{InstanceId}: {ApplyId} applied version {Version}")]
    public static partial void Applied(ILogger logger, string instanceId, string applyId, string version);

    [LoggerMessage(5006, LogLevel.Information, "{InstanceId}: {ApplyId} was already answered; answering again without applying")]
    public static partial void AlreadyApplied(ILogger logger, string instanceId, string applyId);

    [LoggerMessage(5007, LogLevel.Warning, "{InstanceId}: {ApplyId} failed: {Reason}")]
    public static partial void ApplyFailed(ILogger logger, string instanceId, string applyId, string reason);

    [LoggerMessage(5008, LogLevel.Warning, "{InstanceId}: refused ApplyRelease for Agent {Target}: it arrived on queue {Queue}, not that Agent's")]
    public static partial void NotAddressedHere(ILogger logger, string instanceId, string target, string queue);
}
