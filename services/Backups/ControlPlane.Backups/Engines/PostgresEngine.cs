using System.Data;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Operations;
using ControlPlane.ServiceDefaults.Database;
using Npgsql;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// PostgreSQL through the real pg_dump (custom format) and pg_restore. The dump runs in a snapshot exported by
/// this service's own transaction, which meanwhile computes the per-table checksums: the manifest describes
/// exactly the data in the dump, even while the database keeps changing.
/// </summary>
public sealed class PostgresEngine(PgTools tools) : IDatabaseEngine
{
    public string ArtifactName => "database.dump";

    public bool CompressesItself => true;

    public async Task<string?> UnsupportedCompressionAsync(BackupCompression compression, CancellationToken cancellationToken) =>
        compression == BackupCompression.Zstd && await tools.MajorVersionAsync("pg_dump", cancellationToken) < 16
            ? $"zstd needs pg_dump 16 or newer; this one is {await tools.VersionAsync("pg_dump", cancellationToken)}"
            : null;

    public async Task<DumpResult> DumpAsync(DatabaseTarget source, BackupCompression compression, Stream output,
        ProgressReporter progress, CancellationToken cancellationToken)
    {
        var pgDump = tools.Find("pg_dump");
        var toolVersion = await tools.VersionAsync("pg_dump", cancellationToken);
        await using var connection = await OpenAsync(source.ConnectionString, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = (string)(await Scalar(connection, transaction, "SELECT pg_export_snapshot()", cancellationToken))!;
        var snapshotAt = (DateTime)(await Scalar(connection, transaction, "SELECT now()", cancellationToken))!;
        var tables = await PostgresChecksums.ListAsync(connection, transaction, cancellationToken);
        progress.Tables(0, tables.Count);

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var dumped = 0;
        var dump = DumpHalves.Guard(RunDumpAsync(pgDump, snapshot, compression, source, output, () =>
            progress.Tables(Interlocked.Increment(ref dumped), tables.Count), failed.Token), failed);
        var checksums = DumpHalves.Guard(ChecksumTablesAsync(connection, transaction, tables, failed.Token), failed);
        await DumpHalves.WhenBothAsync(dump, checksums);
        await transaction.CommitAsync(cancellationToken);
        return new DumpResult(ServerVersion(connection), connection.Database, await checksums, PostgresChecksums.Algorithm,
            [new ToolVersion { Name = "pg_dump", Version = toolVersion }, new ToolVersion { Name = "postgresql-server", Version = ServerVersion(connection) }],
            DateTime.SpecifyKind(snapshotAt, DateTimeKind.Utc));
    }

    public async Task RestoreAsync(DatabaseTarget target, Stream dump, bool overwrite, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var pgRestore = tools.Find("pg_restore");
        // One transaction: a failed restore leaves the target as it was, never half-restored.
        // The database's name only: the rest of the connection (and the password) travels in the environment.
        List<string> arguments = [$"--dbname={Database(target)}", "--single-transaction", "--exit-on-error", "--verbose", "--no-password"];
        if (overwrite)
        {
            await CreateIfMissingAsync(target, cancellationToken);
            arguments.AddRange(["--clean", "--if-exists"]);
        }
        else
        {
            // A scratch copy is only compared: owners and grants of the source's roles do not matter there.
            arguments.AddRange(["--no-owner", "--no-privileges"]);
        }
        var restored = 0;
        var result = await ToolProcess.RunAsync(pgRestore, arguments, PgTools.Environment(target.ConnectionString), dump, null, line =>
        {
            if (line.Contains(": processing data for table", StringComparison.Ordinal))
            {
                progress.Tables(Interlocked.Increment(ref restored), 0);
            }
        }, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new BackupFailedException($"pg_restore failed (exit {result.ExitCode}); the target was left unchanged: {result.ErrorTail}");
        }
    }

    public async Task<IReadOnlyList<TableManifest>> ChecksumAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(target.ConnectionString, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var tables = await PostgresChecksums.ListAsync(connection, transaction, cancellationToken);
        return await ChecksumTablesAsync(connection, transaction, tables, cancellationToken);
    }

    public async Task<DatabaseTarget> CreateScratchAsync(DatabaseTarget like, string name, CancellationToken cancellationToken)
    {
        await AdminAsync(like, $"CREATE DATABASE {PostgresChecksums.Quote(name)} TEMPLATE template0", cancellationToken);
        return like with { Name = name, ConnectionString = WithDatabase(like.ConnectionString, name) };
    }

    public Task DropScratchAsync(DatabaseTarget scratch, CancellationToken cancellationToken) =>
        AdminAsync(scratch, $"DROP DATABASE IF EXISTS {PostgresChecksums.Quote(Database(scratch))} WITH (FORCE)", cancellationToken);

    public async Task<string?> ServerVersionAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(target.ConnectionString, cancellationToken);
            return ServerVersion(connection);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return null;
        }
    }

    private static async Task<bool> RunDumpAsync(string pgDump, string snapshot, BackupCompression compression, DatabaseTarget source,
        Stream output, Action tableDumped, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync(pgDump, DumpArguments(snapshot, compression), PgTools.Environment(source.ConnectionString),
            null, output, line =>
            {
                if (line.Contains(": dumping contents of table", StringComparison.Ordinal))
                {
                    tableDumped();
                }
            }, cancellationToken);
        return result.ExitCode == 0
            ? true
            : throw new BackupFailedException($"pg_dump failed (exit {result.ExitCode}): {result.ErrorTail}");
    }

    private static IEnumerable<string> DumpArguments(string snapshot, BackupCompression compression)
    {
        List<string> arguments = ["--format=custom", $"--snapshot={snapshot}", "--verbose", "--no-password"];
        if (compression == BackupCompression.None)
        {
            arguments.Add("--compress=0");
        }
        else if (compression == BackupCompression.Zstd)
        {
            arguments.Add("--compress=zstd");
        }
        return arguments;
    }

    private static async Task<IReadOnlyList<TableManifest>> ChecksumTablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        var result = new List<TableManifest>(tables.Count);
        foreach (var (schema, table) in tables)
        {
            result.Add(await PostgresChecksums.OfTableAsync(connection, transaction, schema, table, cancellationToken));
        }
        return result;
    }

    private async Task CreateIfMissingAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        if (await ServerVersionAsync(target, cancellationToken) is null)
        {
            await AdminAsync(target, $"CREATE DATABASE {PostgresChecksums.Quote(Database(target))} TEMPLATE template0", cancellationToken);
        }
    }

    /// <summary>Runs a statement on the server's maintenance database (CREATE/DROP DATABASE cannot run inside the target).</summary>
    private static async Task AdminAsync(DatabaseTarget on, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(WithDatabase(on.ConnectionString, "postgres"), cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pooling: these connections run minutes-long dumps and checksums, and scratch databases must be droppable.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string ServerVersion(NpgsqlConnection connection) => connection.ServerVersion.Split(' ')[0];

    private static string Database(DatabaseTarget target) => new NpgsqlConnectionStringBuilder(target.ConnectionString).Database ?? "";

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
}
