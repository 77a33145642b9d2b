using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace ControlPlane.Backups.Tests;

/// <summary>Real mariadb-dump and mariadb against the test MariaDB server.</summary>
public class MariaDbBackupTests
{
    [Fact]
    public async Task AMariaDbBackupVerifiesAndRestoresOverAnotherDatabaseWithEveryRowEqual()
    {
        await using var source = await MariaDbDatabase.CreateAsync();
        await MariaDbSample.FillAsync(source);
        await using var copy = await MariaDbDatabase.CreateAsync();
        // What the restore must replace: a table the backup does not have, and one it has, with other rows.
        await MariaDbSample.ExecuteAsync(copy.ConnectionString,
            "CREATE TABLE leftover (x INT); INSERT INTO leftover VALUES (1); CREATE TABLE users (id INT PRIMARY KEY); INSERT INTO users VALUES (42);");
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
            ["Backups:Targets:copy:ConnectionString"] = copy.ConnectionString,
        });

        var backup = await host.Client.BackUpAsync("fleet");

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        var manifest = backup.Manifest;
        Assert.Equal("mysql", manifest.SourceEngine);
        Assert.Contains("MariaDB", manifest.SourceServerVersion);
        Assert.Equal(source.Name, manifest.SourceDatabase);
        Assert.Equal([("documents", 6000L), ("events", 3032L), ("users", 3000L)], manifest.Tables.Select(t => (t.Name, t.RowCount)));
        Assert.All(manifest.Tables, t => Assert.StartsWith("m:", t.Checksum));
        Assert.Contains(manifest.Tools, t => t.Name == "mariadb-dump" && t.Version.Contains("MariaDB", StringComparison.Ordinal));

        await host.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backup.Id });
        var verified = (await host.Client.VerifiedAsync(backup.Id)).Verification;
        Assert.True(verified.Status == VerificationStatus.Passed, verified.Error);
        Assert.Equal(3, verified.TablesChecked);
        Assert.Equal(0, await source.ScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'cp\\_verify\\_%' OR SCHEMA_NAME LIKE '%\\_restore\\_%'"));

        var restore = await host.Client.RestoreAsync(backup.Id, "copy");

        Assert.True(restore.Status == RestoreStatus.Succeeded, restore.Error);
        Assert.NotEmpty(restore.SafetyBackupId);
        Assert.Equal(await MariaDbSample.ContentAsync(source.ConnectionString), await MariaDbSample.ContentAsync(copy.ConnectionString));
        Assert.Equal(0, await copy.ScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'leftover'"));
        Assert.Equal(0, await copy.ScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_restore\\_%' OR SCHEMA_NAME LIKE '%\\_old\\_%'"));
        var safety = await host.Client.GetBackupAsync(new GetBackupRequest { BackupId = restore.SafetyBackupId });
        Assert.Equal((BackupTrigger.PreRestore, BackupStatus.Succeeded), (safety.Trigger, safety.Status));
        Assert.Equal([("leftover", 1L), ("users", 1L)], safety.Manifest.Tables.Select(t => (t.Name, t.RowCount)));
    }
}
