using ControlPlane.Api.V1;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Backups.Tests;

/// <summary>SQLite through its online backup API: the embedded default's own database and named SQLite targets.</summary>
public class SqliteBackupTests
{
    [Fact]
    public async Task ASqliteBackupVerifiesAndRestoresIntoAnotherFileWithEveryRowEqual()
    {
        using var files = new TestFolder();
        var source = $"Data Source={files.File("app.db")}";
        var copy = $"Data Source={files.File("restored/app.db")}";
        await ExecuteAsync(source, """
            CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, score REAL, data BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
            INSERT INTO notes SELECT i, 'Grüße ☃ ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'body ' || i END,
                                     i / 3.0, CASE WHEN i % 2 = 0 THEN NULL ELSE randomblob(i % 50) END FROM n;
            CREATE TABLE tags (note_id INTEGER REFERENCES notes(id), tag TEXT);
            INSERT INTO tags SELECT id, 'tag' || (id % 10) FROM notes;
            """);
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:app:ConnectionString"] = source,
            ["Backups:Targets:copy:ConnectionString"] = copy,
        });

        var backup = await host.Client.BackUpAsync("app");

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        Assert.Equal("sqlite", backup.Manifest.SourceEngine);
        Assert.Equal(BackupCompression.Gzip, backup.Compression);
        Assert.Equal("database.sqlite.gz", backup.Manifest.Files[0].Path);
        Assert.Equal([("main.notes", 2000L), ("main.tags", 2000L)], backup.Manifest.Tables.Select(t => (t.Name, t.RowCount)));
        Assert.True(backup.SizeBytes < backup.Manifest.UncompressedBytes);

        await host.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backup.Id });
        var verification = (await host.Client.VerifiedAsync(backup.Id)).Verification;
        Assert.True(verification.Status == VerificationStatus.Passed, verification.Error);

        var restore = await host.Client.RestoreAsync(backup.Id, "copy");
        Assert.True(restore.Status == RestoreStatus.Succeeded, restore.Error);
        Assert.Equal("", restore.SafetyBackupId);
        Assert.Equal(await RowsAsync(source), await RowsAsync(copy));
    }

    [Fact]
    public async Task TheControlPlanesOwnSqliteDatabaseIsBackedUpButNeverOverwrittenUnderTheRunningService()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        await host.Registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana" } });

        var backup = await host.Client.BackUpAsync();

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        Assert.Equal("controlplane", backup.TargetDatabase);
        Assert.Contains(backup.Manifest.Tables, t => t.Name == "main.registry_apps" && t.RowCount == 1);
        Assert.Contains("backups=", backup.Manifest.SchemaVersion);
        var refused = await Testing.RpcAssert.ThrowsAsync(global::Grpc.Core.StatusCode.FailedPrecondition, () => host.Client.RestoreBackupAsync(
            new RestoreBackupRequest { BackupId = backup.Id, TargetDatabase = "controlplane", Confirm = "controlplane" }).ResponseAsync);
        Assert.Contains("another configured target", refused.Status.Detail);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> RowsAsync(string connectionString)
    {
        var rows = new List<string>();
        await using var connection = new SqliteConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        foreach (var sql in new[] { "SELECT * FROM notes ORDER BY id", "SELECT * FROM tags ORDER BY note_id" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i =>
                    reader.GetValue(i) is byte[] blob ? Convert.ToHexString(blob) : reader.GetValue(i).ToString())));
            }
        }
        return rows;
    }
}
