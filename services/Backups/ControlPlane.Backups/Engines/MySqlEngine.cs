using ControlPlane.Api.V1;
using ControlPlane.Backups.Operations;
using MySql.Data.MySqlClient;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// MySQL and MariaDB through the real mariadb-dump (or mysqldump) and mariadb (or mysql) client. The tables and
/// their rows are what is backed up; views, triggers and routines are not (the control plane's databases have
/// none, and a restore moves tables into place, which MySQL cannot do for them).
/// </summary>
/// <remarks>
/// Consistency: MySQL cannot share a snapshot between sessions, so for the moment the dump tool opens its
/// snapshot this service holds every table with LOCK TABLES … READ (reads go on, writes wait) and opens its own
/// snapshot for the checksums. Once the tool reports its transaction started, the lock goes: both snapshots saw the
/// same data, and writers waited only for the dump to start, not to finish.
/// </remarks>
public sealed class MySqlEngine(MySqlTools tools) : IDatabaseEngine
{
    private const int NoSuchDatabase = 1049;
    private const string OpenSnapshot =
        "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

    public string ArtifactName => "database.sql";

    public bool CompressesItself => false;

    public Task<string?> UnsupportedCompressionAsync(BackupCompression compression, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    public async Task<DumpResult> DumpAsync(DatabaseTarget source, BackupCompression compression, Stream output,
        ProgressReporter progress, CancellationToken cancellationToken)
    {
        var dumper = tools.Find(MySqlTools.Dumpers);
        var toolVersion = await tools.VersionAsync(dumper, cancellationToken);
        await using var locker = await OpenAsync(source.ConnectionString, cancellationToken);
        var tables = await MySqlChecksums.ListAsync(locker, "BASE TABLE", cancellationToken);
        var views = await MySqlChecksums.ListAsync(locker, "VIEW", cancellationToken);
        progress.Tables(0, tables.Count);
        if (tables.Count > 0)
        {
            await ExecuteAsync(locker, "SET SESSION lock_wait_timeout = 60; LOCK TABLES "
                + string.Join(", ", tables.Select(t => MySqlChecksums.Quote(t) + " READ")), cancellationToken);
        }

        await using var reader = await OpenAsync(source.ConnectionString, cancellationToken);
        await ExecuteAsync(reader, OpenSnapshot, cancellationToken);
        var snapshotAt = DateTime.SpecifyKind((DateTime)(await ScalarAsync(reader, "SELECT UTC_TIMESTAMP(6)", cancellationToken))!, DateTimeKind.Utc);

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var snapshotTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dumped = 0;
        var database = reader.Database;
        var dump = DumpHalves.Guard(RunDumpAsync(dumper, source, database, views, output, line =>
        {
            if (line.StartsWith("-- Setting savepoint", StringComparison.Ordinal) || line.StartsWith("-- Retrieving table structure", StringComparison.Ordinal))
            {
                snapshotTaken.TrySetResult();
            }
            if (line.StartsWith("-- Retrieving rows", StringComparison.Ordinal))
            {
                progress.Tables(Interlocked.Increment(ref dumped), tables.Count);
            }
        }, failed.Token), failed);
        await Task.WhenAny(snapshotTaken.Task, dump);
        await ExecuteAsync(locker, "UNLOCK TABLES", CancellationToken.None);

        var checksums = DumpHalves.Guard(ChecksumTablesAsync(reader, tables, failed.Token), failed);
        await DumpHalves.WhenBothAsync(dump, checksums);
        await ExecuteAsync(reader, "COMMIT", cancellationToken);
        var serverVersion = reader.ServerVersion;
        return new DumpResult(serverVersion, database, await checksums, MySqlChecksums.Algorithm,
            [new ToolVersion { Name = Path.GetFileName(dumper), Version = toolVersion }, new ToolVersion { Name = "mysql-server", Version = serverVersion }],
            snapshotAt);
    }

    /// <summary>
    /// Loads the dump into a staging database first, then, for an overwrite, swaps every table into the target in one
    /// RENAME TABLE (atomic in MySQL and MariaDB): a failed load leaves the target exactly as it was.
    /// </summary>
    public async Task RestoreAsync(DatabaseTarget target, Stream dump, bool overwrite, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var database = Database(target);
        if (!overwrite)
        {
            await LoadAsync(target, database, dump, cancellationToken);
            return;
        }
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var staging = Beside(database, $"_restore_{suffix}");
        var trash = Beside(database, $"_old_{suffix}");
        await AdminAsync(target, $"CREATE DATABASE {MySqlChecksums.Quote(staging)}", cancellationToken);
        try
        {
            await LoadAsync(target, staging, dump, cancellationToken);
            await AdminAsync(target, $"CREATE DATABASE IF NOT EXISTS {MySqlChecksums.Quote(database)}", cancellationToken);
            await AdminAsync(target, $"CREATE DATABASE {MySqlChecksums.Quote(trash)}", cancellationToken);
            await SwapAsync(target, database, staging, trash, cancellationToken);
        }
        finally
        {
            await AdminAsync(target, $"DROP DATABASE IF EXISTS {MySqlChecksums.Quote(staging)}", CancellationToken.None);
            await AdminAsync(target, $"DROP DATABASE IF EXISTS {MySqlChecksums.Quote(trash)}", CancellationToken.None);
        }
    }

    public async Task<IReadOnlyList<TableManifest>> ChecksumAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(target.ConnectionString, cancellationToken);
        await ExecuteAsync(connection, OpenSnapshot, cancellationToken);
        var tables = await MySqlChecksums.ListAsync(connection, "BASE TABLE", cancellationToken);
        return await ChecksumTablesAsync(connection, tables, cancellationToken);
    }

    public async Task<DatabaseTarget> CreateScratchAsync(DatabaseTarget like, string name, CancellationToken cancellationToken)
    {
        await AdminAsync(like, $"CREATE DATABASE {MySqlChecksums.Quote(name)}", cancellationToken);
        return like with { Name = name, ConnectionString = WithDatabase(like.ConnectionString, name) };
    }

    public Task DropScratchAsync(DatabaseTarget scratch, CancellationToken cancellationToken) =>
        AdminAsync(scratch, $"DROP DATABASE IF EXISTS {MySqlChecksums.Quote(Database(scratch))}", cancellationToken);

    public async Task<string?> ServerVersionAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(target.ConnectionString, cancellationToken);
            return connection.ServerVersion;
        }
        catch (MySqlException ex) when (ex.Number == NoSuchDatabase)
        {
            return null;
        }
    }

    private static async Task<bool> RunDumpAsync(string dumper, DatabaseTarget source, string database, List<string> views, Stream output,
        Action<string> onErrorLine, CancellationToken cancellationToken)
    {
        List<string> arguments = MySqlTools.ConnectionArguments(source.ConnectionString);
        arguments.AddRange([
            "--single-transaction", "--skip-lock-tables", "--skip-triggers", "--hex-blob", "--no-tablespaces",
            "--default-character-set=utf8mb4", "--skip-dump-date", "--verbose",
        ]);
        arguments.AddRange(views.Select(view => $"--ignore-table={database}.{view}"));
        arguments.Add(database);
        var result = await ToolProcess.RunAsync(dumper, arguments, MySqlTools.Environment(source.ConnectionString), null, output, onErrorLine,
            cancellationToken);
        return result.ExitCode == 0
            ? true
            : throw new BackupFailedException($"{Path.GetFileName(dumper)} failed (exit {result.ExitCode}): {result.ErrorTail}");
    }

    private async Task LoadAsync(DatabaseTarget target, string database, Stream dump, CancellationToken cancellationToken)
    {
        var client = tools.Find(MySqlTools.Clients);
        List<string> arguments = MySqlTools.ConnectionArguments(target.ConnectionString);
        arguments.AddRange(["--batch", "--binary-mode", "--default-character-set=utf8mb4", database]);
        var result = await ToolProcess.RunAsync(client, arguments, MySqlTools.Environment(target.ConnectionString), dump, Stream.Null, null,
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new BackupFailedException($"{Path.GetFileName(client)} failed loading the dump (exit {result.ExitCode}); the target was left unchanged: {result.ErrorTail}");
        }
    }

    /// <summary>One RENAME TABLE: the target's tables into the trash database and the staged ones into the target, at once.</summary>
    private static async Task SwapAsync(DatabaseTarget target, string database, string staging, string trash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(WithDatabase(target.ConnectionString, database), cancellationToken);
        var current = await MySqlChecksums.ListAsync(connection, "BASE TABLE", cancellationToken);
        var currentViews = await MySqlChecksums.ListAsync(connection, "VIEW", cancellationToken);
        if (currentViews.Count > 0)
        {
            throw new BackupFailedException($"target '{target.Name}' has views ({string.Join(", ", currentViews)}), which a MySQL restore does not replace; drop them first");
        }
        await using var stagingConnection = await OpenAsync(WithDatabase(target.ConnectionString, staging), cancellationToken);
        var staged = await MySqlChecksums.ListAsync(stagingConnection, "BASE TABLE", cancellationToken);
        var moves = current.Select(t => Move(database, trash, t)).Concat(staged.Select(t => Move(staging, database, t))).ToList();
        if (moves.Count > 0)
        {
            // Foreign keys are checked when rows change, not when tables move; off for this one statement regardless.
            await ExecuteAsync(connection, "SET SESSION foreign_key_checks = 0; RENAME TABLE " + string.Join(", ", moves), cancellationToken);
        }
    }

    private static string Move(string from, string to, string table) =>
        $"{MySqlChecksums.Quote(from)}.{MySqlChecksums.Quote(table)} TO {MySqlChecksums.Quote(to)}.{MySqlChecksums.Quote(table)}";

    private static async Task<IReadOnlyList<TableManifest>> ChecksumTablesAsync(MySqlConnection connection, List<string> tables,
        CancellationToken cancellationToken)
    {
        var result = new List<TableManifest>(tables.Count);
        foreach (var table in tables)
        {
            result.Add(await MySqlChecksums.OfTableAsync(connection, table, cancellationToken));
        }
        return result;
    }

    /// <summary>Runs a statement with no database selected (CREATE/DROP DATABASE).</summary>
    private static async Task AdminAsync(DatabaseTarget on, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(WithDatabase(on.ConnectionString, ""), cancellationToken);
        await ExecuteAsync(connection, sql, cancellationToken);
    }

    private static async Task<MySqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pooling: these connections hold locks and minutes-long snapshots, and scratch databases must be droppable.
        var builder = new MySqlConnectionStringBuilder(connectionString) { Pooling = false, DefaultCommandTimeout = 0 };
        var connection = new MySqlConnection(builder.ConnectionString);
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

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Database(DatabaseTarget target) => new MySqlConnectionStringBuilder(target.ConnectionString).Database ?? "";

    private static string WithDatabase(string connectionString, string database) =>
        new MySqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    /// <summary>A database named after <paramref name="database"/> with a suffix, within MySQL's 64 characters.</summary>
    private static string Beside(string database, string suffix) => database[..Math.Min(database.Length, 64 - suffix.Length)] + suffix;
}
