using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Testing;
using Google.Protobuf;

namespace ControlPlane.Backups.Tests;

/// <summary>Real pg_dump and pg_restore against the test PostgreSQL server.</summary>
public class PostgresBackupTests
{
    [Fact]
    public async Task ABackupVerifiesAndRestoresIntoAnotherDatabaseWithEveryRowEqual()
    {
        await using var source = await PostgresDatabase.CreateAsync();
        await SampleDatabase.FillAsync(source);
        await using var copy = await PostgresDatabase.CreateAsync();
        using var repository = new TestFolder();
        var key = BackupsHost.NewKey();
        await using var host = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
            ["Backups:Targets:copy:ConnectionString"] = copy.ConnectionString,
            ["Backups:Encryption:ActiveKey"] = "k1",
            ["Backups:Encryption:Keys:k1"] = key,
        });
        await host.Registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana", DesiredVersion = "11.0" } });

        var backup = await host.Client.BackUpAsync("fleet", BackupKind.Full);

        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        var manifest = backup.Manifest;
        Assert.Equal("postgresql", manifest.SourceEngine);
        Assert.StartsWith("15.", manifest.SourceServerVersion);
        Assert.Equal(source.Name, manifest.SourceDatabase);
        Assert.Equal(
            [("audit.log", 1000L), ("public.documents", 6000L), ("public.events", 3010L), ("public.users", 3000L)],
            manifest.Tables.Select(t => (t.Name, t.RowCount)));
        Assert.All(manifest.Tables, t => Assert.NotEmpty(t.Checksum));
        Assert.Contains(manifest.Tools, t => t.Name == "pg_dump" && t.Version.StartsWith("15.", StringComparison.Ordinal));
        Assert.True(manifest.Duration.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal(["database.dump.enc", "fleet-config.json.enc"], manifest.Files.Select(f => f.Path));
        Assert.Equal("apps/grafana.json", Assert.Single(manifest.ConfigItems).Path);
        Assert.True(backup.Encrypted);
        Assert.Equal("k1", backup.EncryptionKeyId);

        var folder = ArtifactRepository.FolderOfUri(backup.ArtifactUri);
        var dump = Path.Combine(folder, "database.dump.enc");
        Assert.Equal(backup.Sha256, await ArtifactFiles.Sha256Async(dump, default));
        Assert.Equal(backup.SizeBytes, manifest.Files.Sum(f => new FileInfo(Path.Combine(folder, f.Path)).Length));
        var written = JsonParser.Default.Parse<Backup>(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")));
        Assert.Equal(backup.Sha256, written.Sha256);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(key, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Convert.FromBase64String(key)));
        }

        await host.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backup.Id });
        var verified = (await host.Client.VerifiedAsync(backup.Id)).Verification;
        Assert.True(verified.Status == VerificationStatus.Passed, verified.Error);
        Assert.Equal(4, verified.TablesChecked);
        Assert.True(verified.RestoreDuration.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal(0, await source.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname LIKE 'cp_verify_%{backup.Id[2..].Replace('-', '_')}'"));

        var restore = await host.Client.RestoreAsync(backup.Id, "copy");

        Assert.True(restore.Status == RestoreStatus.Succeeded, restore.Error);
        Assert.NotEmpty(restore.SafetyBackupId);
        Assert.Equal(await SampleDatabase.ContentAsync(source.ConnectionString), await SampleDatabase.ContentAsync(copy.ConnectionString));
        var safety = await host.Client.GetBackupAsync(new GetBackupRequest { BackupId = restore.SafetyBackupId });
        Assert.Equal((BackupTrigger.PreRestore, BackupStatus.Succeeded), (safety.Trigger, safety.Status));
    }

    [Fact]
    public async Task AFlippedByteFailsVerificationNamingTheChecksumAndIsNeverRestored()
    {
        await using var source = await PostgresDatabase.CreateAsync();
        await SampleDatabase.FillAsync(source, rows: 500);
        await using var copy = await PostgresDatabase.CreateAsync();
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
            ["Backups:Targets:copy:ConnectionString"] = copy.ConnectionString,
        });
        var backup = await host.Client.BackUpAsync("fleet");
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        var dump = Path.Combine(ArtifactRepository.FolderOfUri(backup.ArtifactUri), "database.dump");
        await using (var file = File.Open(dump, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            var b = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(b ^ 0x01));
        }

        await host.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backup.Id });
        var verification = (await host.Client.VerifiedAsync(backup.Id)).Verification;

        Assert.Equal(VerificationStatus.Failed, verification.Status);
        var mismatch = Assert.Single(verification.Mismatches);
        Assert.Equal((MismatchKind.ArtifactSha256, "database.dump", backup.Sha256), (mismatch.Kind, mismatch.Table, mismatch.Expected));
        Assert.Contains("SHA-256", verification.Error);
        var restore = await host.Client.RestoreAsync(backup.Id, "copy");
        Assert.Equal(RestoreStatus.Failed, restore.Status);
        Assert.Contains("SHA-256", restore.Error);
        Assert.Equal(0, await copy.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task TheWrongEncryptionKeyGivesAClearErrorNamingTheKeyButNeverItsValue()
    {
        await using var controlPlane = await PostgresDatabase.CreateAsync();
        await using var source = await PostgresDatabase.CreateAsync();
        await SampleDatabase.FillAsync(source, rows: 300);
        using var repository = new TestFolder();
        var settings = new Dictionary<string, string?>
        {
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
            ["Backups:Encryption:ActiveKey"] = "k1",
            ["Backups:Encryption:Keys:k1"] = BackupsHost.NewKey(),
        };
        string backupId;
        await using (var first = await BackupsHost.StartAsync(repository.Path, settings, controlPlane))
        {
            var backup = await first.Client.BackUpAsync("fleet");
            Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
            backupId = backup.Id;
        }
        var otherKey = BackupsHost.NewKey();
        settings["Backups:Encryption:Keys:k1"] = otherKey;
        await using var second = await BackupsHost.StartAsync(repository.Path, settings, controlPlane);

        await second.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backupId });
        var verification = (await second.Client.VerifiedAsync(backupId)).Verification;

        Assert.Equal(VerificationStatus.Error, verification.Status);
        Assert.Contains("wrong encryption key", verification.Error);
        Assert.Contains("'k1'", verification.Error);
        Assert.DoesNotContain(otherKey, verification.Error);
    }

    [Fact]
    public async Task AMissingPgDumpOrAVanishedDatabaseFailsTheBackupWithTheReasonAndTheServiceStaysUp()
    {
        await using var source = await PostgresDatabase.CreateAsync();
        var gone = await PostgresDatabase.CreateAsync();
        await gone.DisposeAsync();
        using var repository = new TestFolder();
        using var noTools = new TestFolder();
        await using (var host = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
            ["Backups:PgBinPath"] = noTools.Path,
        }))
        {
            var failed = await host.Client.BackUpAsync("fleet");
            Assert.Equal(BackupStatus.Failed, failed.Status);
            Assert.Contains($"pg_dump not found in {noTools.Path}", failed.Error);
            Assert.True((await host.Host.Http.GetAsync("/readyz")).IsSuccessStatusCode);
            Assert.Equal(BackupStatus.Succeeded, (await host.Client.BackUpAsync()).Status);
        }

        await using var second = await BackupsHost.StartAsync(repository.Path, new Dictionary<string, string?>
        {
            ["Backups:Targets:gone:ConnectionString"] = gone.ConnectionString,
        });
        var vanished = await second.Client.BackUpAsync("gone");
        Assert.Equal(BackupStatus.Failed, vanished.Status);
        Assert.Contains($"database \"{gone.Name}\" does not exist", vanished.Error);
        Assert.False(Directory.Exists(Path.Combine(repository.Path, "gone", vanished.Id)), "a failed backup leaves no partial artifact");
        Assert.Equal(BackupStatus.Succeeded, (await second.Client.BackUpAsync()).Status);
    }
}
