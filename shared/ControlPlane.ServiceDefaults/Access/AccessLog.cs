using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>Log events of authentication, authorization and the audit. Never a token, never a hash.</summary>
internal static partial class AccessLog
{
    [LoggerMessage(1100, LogLevel.Information, "audit: {Principal} ({Role}) {Method} -> {Outcome} {Detail}")]
    public static partial void Audited(ILogger logger, string principal, string role, string method, string outcome, string detail);

    [LoggerMessage(1101, LogLevel.Error, "audit: writing the record of {Principal} {Method} -> {Outcome} failed: {Reason}")]
    public static partial void AuditWriteFailed(ILogger logger, string principal, string method, string outcome, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "Refused {Method} from {Peer}: {Code} {Reason}")]
    public static partial void Refused(ILogger logger, string method, string peer, string code, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "The key store could not be read: {Reason}")]
    public static partial void KeyStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(1104, LogLevel.Information, "API key {KeyId} '{Name}' ({Role}) created by {CreatedBy}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string name, string role, string createdBy);

    [LoggerMessage(1105, LogLevel.Information, "API key {KeyId} '{Name}' revoked by {RevokedBy}")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string name, string revokedBy);

    [LoggerMessage(1106, LogLevel.Warning, "The embedded admin key could not be created: {Reason}")]
    public static partial void BootstrapFailed(ILogger logger, string reason);
}
