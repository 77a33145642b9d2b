using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>Every service as a real process on one MariaDB database: the whole operating model on the third provider.</summary>
public class MariaDbSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARolloutWithABackupBeforeItSucceedsWithEveryServiceOnMariaDb()
    {
        await using var database = await MariaDbDatabase.CreateAsync();
        await using var suite = await HaSuite.StartAsync(SuiteShape.Uniform(replicas: 1, agents: 2) with { Database = database.ConnectionString });
        foreach (var service in HaSuite.Services)
        {
            using var health = JsonDocument.Parse(await suite.Replicas(service)[0].Http.GetStringAsync("/api/health"));
            Assert.Equal("mysql", health.RootElement.GetProperty("databaseProvider").GetString());
            Assert.Equal(1, await database.ScalarAsync<long>($"SELECT count(*) FROM __{service}_migrations"));
        }

        var request = suite.RolloutTo("2.0");
        request.Strategy.BackupBefore = true;
        var rollout = await suite.Rollouts.StartRolloutAsync(request);
        var done = await suite.WaitForRolloutAsync(rollout.Id, RolloutState.Succeeded, TimeSpan.FromSeconds(180));

        Assert.All(done.Steps, s => Assert.Equal(RolloutStepPhase.Done, s.Phase));
        foreach (var agent in suite.Agents)
        {
            Assert.Equal(("2.0", 1), await agent.StatusAsync());
        }
        var backups = await suite.Backups.ListBackupsAsync(new ListBackupsRequest());
        var backup = Assert.Single(backups.Backups);
        output.WriteLine($"backup {backup.Id}: {backup.Status}, {backup.Manifest.Tables.Count} tables, verification {backup.Verification?.Status}");
        Assert.Equal((BackupStatus.Succeeded, "mysql"), (backup.Status, backup.Manifest.SourceEngine));
        Assert.Contains(backup.Manifest.Tables, t => t.Name == "rollouts_rollouts" && t.RowCount == 1);
        Assert.Equal(VerificationStatus.Passed, backup.Verification?.Status);
    }
}
