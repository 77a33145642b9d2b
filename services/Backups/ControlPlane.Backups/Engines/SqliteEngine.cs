using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Operations;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// SQLite through its online backup API: the live file is copied page by page into a snapshot file (writers are
/// not stopped), the snapshot is checksummed and streamed into the artifact. Restore copies back the same way,
/// so connections open on the target see the restored database as one change.
/// </summary>
public sealed class SqliteEngine(ArtifactRepository repository) : IDatabaseEngine
{
    public string ArtifactName => "database.sqlite";

    public bool CompressesItself => false;

    public Task<string?> UnsupportedCompressionAsync(BackupCompression compression, CancellationToken cancellationToken) =>
        Task.FromResult(compression == BackupCompression.Zstd ? "zstd is not available for SQLite backups here; use gzip" : null);

    public async Task<DumpResult> DumpAsync(DatabaseTarget source, BackupCompression compression, Stream output,
        ProgressReporter progress, CancellationToken cancellationToken)
    {
        var path = FileOf(source);
        if (!File.Exists(path))
        {
            throw new BackupFailedException($"SQLite database file {path} does not exist");
        }
        var snapshot = ScratchFile("snapshot");
        try
        {
            var snapshotAt = DateTime.UtcNow;
            string version;
            IReadOnlyList<TableManifest> tables;
            await using (var live = await OpenAsync(source.ConnectionString, SqliteOpenMode.ReadWrite, cancellationToken))
            await using (var copy = await OpenAsync($"Data Source={snapshot}", SqliteOpenMode.ReadWriteCreate, cancellationToken))
            {
                live.BackupDatabase(copy);
                version = live.ServerVersion;
                tables = await SqliteChecksums.OfDatabaseAsync(copy, cancellationToken);
            }
            progress.Tables(tables.Count, tables.Count);
            await using (var file = new FileStream(snapshot, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                await file.CopyToAsync(output, 1 << 20, cancellationToken);
            }
            return new DumpResult(version, Path.GetFileName(path), tables, SqliteChecksums.Algorithm,
                [new ToolVersion { Name = "sqlite", Version = version }], snapshotAt);
        }
        finally
        {
            DeleteFile(snapshot);
        }
    }

    public async Task RestoreAsync(DatabaseTarget target, Stream dump, bool overwrite, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var incoming = ScratchFile("restore");
        try
        {
            await using (var file = new FileStream(incoming, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await dump.CopyToAsync(file, 1 << 20, cancellationToken);
            }
            await using var restored = await OpenAsync($"Data Source={incoming}", SqliteOpenMode.ReadWrite, cancellationToken);
            await using (var check = restored.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                if (await check.ExecuteScalarAsync(cancellationToken) is not "ok")
                {
                    throw new BackupFailedException("the restored SQLite file fails its integrity check");
                }
            }
            var path = FileOf(target);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var destination = await OpenAsync(target.ConnectionString, SqliteOpenMode.ReadWriteCreate, cancellationToken);
            restored.BackupDatabase(destination);
        }
        finally
        {
            DeleteFile(incoming);
        }
    }

    public async Task<IReadOnlyList<TableManifest>> ChecksumAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(target.ConnectionString, SqliteOpenMode.ReadWrite, cancellationToken);
        return await SqliteChecksums.OfDatabaseAsync(connection, cancellationToken);
    }

    public Task<DatabaseTarget> CreateScratchAsync(DatabaseTarget like, string name, CancellationToken cancellationToken) =>
        Task.FromResult(like with { Name = name, ConnectionString = $"Data Source={Path.Combine(repository.ScratchFolder(), name + ".db")}" });

    public Task DropScratchAsync(DatabaseTarget scratch, CancellationToken cancellationToken)
    {
        var path = FileOf(scratch);
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            DeleteFile(file);
        }
        return Task.CompletedTask;
    }

    public async Task<string?> ServerVersionAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        if (!File.Exists(FileOf(target)))
        {
            return null;
        }
        await using var connection = await OpenAsync(target.ConnectionString, SqliteOpenMode.ReadWrite, cancellationToken);
        return connection.ServerVersion;
    }

    /// <summary>ReadWrite (not ReadOnly) so WAL files can be read, yet a missing file is an error, never created.</summary>
    private static async Task<SqliteConnection> OpenAsync(string connectionString, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        // No pooling: a pooled handle would keep scratch and snapshot files open after they are deleted.
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = mode, Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static string FileOf(DatabaseTarget target) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);

    private string ScratchFile(string purpose) => Path.Combine(repository.ScratchFolder(), $"{purpose}-{Guid.NewGuid():N}.db");

    private static void DeleteFile(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
