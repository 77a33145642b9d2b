using ControlPlane.ServiceDefaults.Database;

namespace ControlPlane.Backups.Engines;

/// <summary>A named database the service backs up or restores into. The connection string is never logged.</summary>
public sealed record DatabaseTarget(string Name, DatabaseProvider Provider, string ConnectionString)
{
    public string EngineName => Provider switch
    {
        DatabaseProvider.PostgreSql => "postgresql",
        DatabaseProvider.MySql => "mysql",
        _ => "sqlite",
    };

    public override string ToString() => $"{Name} ({EngineName})";
}

/// <summary>An expected failure of an operation, with a message for the operator (stored as the backup's error).</summary>
public sealed class BackupFailedException(string message, Exception? inner = null) : Exception(message, inner);
