using ControlPlane.Api.V1;
using static ControlPlane.Cpctl.Tests.CpctlProcess;

namespace ControlPlane.Cpctl.Tests;

/// <summary>`cpctl backup ...` against a running suite backing up its own (SQLite) database.</summary>
public class BackupCommandTests
{
    [Fact]
    public async Task CreateListGetVerifyAndRestoreAnswerAsTheApi()
    {
        await using var suite = await CpctlSuite.StartAsync();
        await suite.FleetSqlAsync("CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO dashboard (title) VALUES ('home')");

        var created = await RunAsync(suite.Address, "backup", "create", "--target", CpctlSuite.FleetDatabase, "--description", "before upgrade", "--wait", "-o", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var id = created.Node["id"]!.GetValue<string>();
        Assert.Equal("BACKUP_STATUS_SUCCEEDED", created.Node["status"]!.GetValue<string>());
        AssertSameJson(ApiJson(await suite.Backups.GetBackupAsync(new GetBackupRequest { BackupId = id })), created.Node);

        var get = await RunAsync(suite.Address, "backup", "get", id, "-o", "json");
        AssertSameJson(ApiJson(await suite.Backups.GetBackupAsync(new GetBackupRequest { BackupId = id })), get.Node);

        var verified = await RunAsync(suite.Address, "backup", "verify", id, "--wait", "-o", "json");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("VERIFICATION_STATUS_PASSED", verified.Node["verification"]!["status"]!.GetValue<string>());
        AssertSameJson(ApiJson(await suite.Backups.GetBackupAsync(new GetBackupRequest { BackupId = id })), verified.Node);

        // Followed on a terminal: a progress bar, then the backup's details.
        var live = await RunInTerminalAsync(suite.Address, "backup", "create", "--wait");
        Assert.True(live.ExitCode == 0, live.ToString());
        Assert.Contains("\u001b[", live.Output);
        Assert.Contains("100%", live.Output);
        Assert.Contains("succeeded", live.Output);

        var list = await RunAsync(suite.Address, "backup", "list", "-o", "json");
        var backups = await suite.Backups.ListBackupsAsync(new ListBackupsRequest { PageSize = 100 });
        Assert.Equal(2, backups.Backups.Count);
        AssertSameJson(ApiJson(backups), list.Node);

        await suite.FleetSqlAsync("INSERT INTO dashboard (title) VALUES ('added after the backup')");
        var unconfirmed = await RunAsync(suite.Address, "backup", "restore", id, "--target", CpctlSuite.FleetDatabase);
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("add --yes to confirm", unconfirmed.Errors);
        Assert.Equal(2L, await suite.FleetSqlAsync("SELECT count(*) FROM dashboard"));

        var checkedOnly = await RunAsync(suite.Address, "backup", "restore", id, "--target", CpctlSuite.FleetDatabase, "--dry-run", "--wait", "-o", "json");
        Assert.True(checkedOnly.ExitCode == 0, checkedOnly.ToString());
        Assert.Equal("RESTORE_STATUS_SUCCEEDED", checkedOnly.Node["status"]!.GetValue<string>());
        Assert.True(checkedOnly.Node["dryRun"]!.GetValue<bool>());
        Assert.Equal(2L, await suite.FleetSqlAsync("SELECT count(*) FROM dashboard"));

        var restored = await RunAsync(suite.Address, "backup", "restore", id, "--target", CpctlSuite.FleetDatabase, "--yes", "--wait", "-o", "json");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal("RESTORE_STATUS_SUCCEEDED", restored.Node["status"]!.GetValue<string>());
        Assert.NotEmpty(restored.Node["safetyBackupId"]!.GetValue<string>());
        Assert.Equal(1L, await suite.FleetSqlAsync("SELECT count(*) FROM dashboard"));

        var missing = await RunAsync(suite.Address, "backup", "get", "b-20990101000000000-0000");
        Assert.Equal(3, missing.ExitCode);
        Assert.StartsWith("cpctl: not found", missing.Errors);
    }
}
