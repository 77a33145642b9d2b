using System.Collections.Concurrent;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>Whether the schema is in place, and which migration each owner's schema is at.</summary>
public sealed class DatabaseStatus
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, string> _schemaVersions = new();

    public bool IsMigrated => _migrated.Task.IsCompleted;

    /// <summary>Why the database is not usable yet (null once migrated).</summary>
    public string? LastError { get; private set; } = "migrations have not run yet";

    public IReadOnlyDictionary<string, string> SchemaVersions => _schemaVersions;

    public Task WaitUntilMigratedAsync(CancellationToken cancellationToken) => _migrated.Task.WaitAsync(cancellationToken);

    internal void SetSchemaVersion(string owner, string version) => _schemaVersions[owner] = version;

    internal void SetError(string error) => LastError = error;

    internal void MarkMigrated()
    {
        LastError = null;
        _migrated.TrySetResult();
    }
}
