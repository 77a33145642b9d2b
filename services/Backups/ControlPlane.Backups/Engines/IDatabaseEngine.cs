using ControlPlane.Api.V1;
using ControlPlane.Backups.Operations;

namespace ControlPlane.Backups.Engines;

/// <summary>What one database engine does for backups: dump, restore, and checksum every table.</summary>
public interface IDatabaseEngine
{
    /// <summary>The artifact's base file name, e.g. "database.dump".</summary>
    string ArtifactName { get; }

    /// <summary>The dump tool compresses itself (pg_dump -Fc), so the artifact pipeline must not compress again.</summary>
    bool CompressesItself { get; }

    /// <summary>Compressions this engine can produce here (zstd needs pg_dump 16).</summary>
    Task<string?> UnsupportedCompressionAsync(BackupCompression compression, CancellationToken cancellationToken);

    /// <summary>Writes a consistent dump to <paramref name="output"/> and describes what it holds.</summary>
    Task<DumpResult> DumpAsync(DatabaseTarget source, BackupCompression compression, Stream output, ProgressReporter progress,
        CancellationToken cancellationToken);

    /// <summary>Loads a dump. <paramref name="overwrite"/>: replace what the target holds (creating it when missing); else the target is a fresh scratch database.</summary>
    Task RestoreAsync(DatabaseTarget target, Stream dump, bool overwrite, ProgressReporter progress, CancellationToken cancellationToken);

    /// <summary>Row count and checksum of every table, read in one consistent snapshot.</summary>
    Task<IReadOnlyList<TableManifest>> ChecksumAsync(DatabaseTarget target, CancellationToken cancellationToken);

    Task<DatabaseTarget> CreateScratchAsync(DatabaseTarget like, string name, CancellationToken cancellationToken);

    Task DropScratchAsync(DatabaseTarget scratch, CancellationToken cancellationToken);

    /// <summary>The server's version, or null when the database does not exist (yet).</summary>
    Task<string?> ServerVersionAsync(DatabaseTarget target, CancellationToken cancellationToken);
}

public sealed record DumpResult(
    string ServerVersion,
    string DatabaseName,
    IReadOnlyList<TableManifest> Tables,
    string ChecksumAlgorithm,
    IReadOnlyList<ToolVersion> Tools,
    DateTime SnapshotAt);
