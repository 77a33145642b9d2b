using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Contracts;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Backups.Tests;

/// <summary>Schedules, retention and freshness, run by the scheduler (every 200 ms in these hosts).</summary>
public class PolicyTests
{
    private static Task<BackupPolicy> SetPolicyAsync(BackupsHost host, BackupPolicy policy) =>
        host.Client.SetBackupPolicyAsync(new SetBackupPolicyRequest { Policy = policy }).ResponseAsync;

    [Fact]
    public async Task AStalePolicyTurnsReadyzDegradedAndAnnouncesItUntilAFreshBackupArrives()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);

        await SetPolicyAsync(host, new BackupPolicy { Enabled = true, FreshnessMaxAge = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });

        var stale = await host.Events.WaitForAsync<BackupStale>(e => e.TargetDatabase == "controlplane");
        Assert.Null(stale.LastSuccessAt);
        Assert.Equal(TimeSpan.FromSeconds(1), stale.FreshnessMaxAge);
        using (var ready = await host.Host.Http.GetAsync("/readyz"))
        {
            Assert.True(ready.IsSuccessStatusCode, "stale backups degrade the service, they do not make it unready");
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        }
        var policy = await host.Client.GetBackupPolicyAsync(new GetBackupPolicyRequest());
        Assert.True(policy.Status.Stale);
        Assert.NotNull(policy.Status.StaleSince);

        var backup = await host.Client.BackUpAsync();
        await SetPolicyAsync(host, new BackupPolicy { Enabled = true, FreshnessMaxAge = Duration.FromTimeSpan(TimeSpan.FromHours(1)) });

        var fresh = await host.Events.WaitForAsync<BackupFresh>(e => e.TargetDatabase == "controlplane");
        Assert.Equal(backup.Id, fresh.LastSuccessBackupId);
        using var healthy = await host.Host.Http.GetAsync("/readyz");
        Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());
        Assert.Single(host.Events.Of<BackupStale>());
    }

    [Fact]
    public async Task RetentionRemovesExactlyTheBackupsBeyondTheLimitAndKeepsTheNewestVerifiedOne()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        var backups = new List<Backup>();
        for (var i = 0; i < 4; i++)
        {
            backups.Add(await host.Client.BackUpAsync());
        }
        await host.Client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = backups[0].Id });
        Assert.Equal(VerificationStatus.Passed, (await host.Client.VerifiedAsync(backups[0].Id)).Verification.Status);

        await SetPolicyAsync(host, new BackupPolicy { Enabled = true, Retention = new BackupRetention { KeepLast = 2 } });

        var deleted = await host.Client.WaitAsync(backups[1].Id, b => b.Status == BackupStatus.Deleted);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var statuses = new List<BackupStatus>();
        foreach (var backup in backups)
        {
            statuses.Add((await host.Client.GetBackupAsync(new GetBackupRequest { BackupId = backup.Id })).Status);
        }
        Assert.Equal([BackupStatus.Succeeded, BackupStatus.Deleted, BackupStatus.Succeeded, BackupStatus.Succeeded], statuses);
        Assert.False(Directory.Exists(ArtifactRepository.FolderOfUri(deleted.ArtifactUri)));
        Assert.All(new[] { backups[0], backups[2], backups[3] }, b => Assert.True(Directory.Exists(ArtifactRepository.FolderOfUri(b.ArtifactUri))));
        Assert.Equal("retention", Assert.Single(host.Events.Of<BackupDeleted>()).Reason);
        var listed = await host.Client.ListBackupsAsync(new ListBackupsRequest());
        Assert.Equal([backups[3].Id, backups[2].Id, backups[0].Id], listed.Backups.Select(b => b.Id));
    }

    [Fact]
    public async Task ADueScheduleQueuesABackupAndTheVerificationScheduleVerifiesIt()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        var policy = await SetPolicyAsync(host, new BackupPolicy
        {
            Enabled = true, Schedule = "0 3 * * *", VerificationSchedule = "30 3 * * *", TimeZone = "Europe/Berlin",
        });
        var next = policy.Status.NextBackupAt.ToDateTime();
        Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).TimeOfDay, TimeSpan.FromHours(3));

        // Time passes: the next run is due now.
        await using (var scope = host.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
            await db.Policies.ExecuteUpdateAsync(s => s.SetProperty(p => p.NextBackupAt, DateTime.UtcNow.AddSeconds(-1)));
        }
        var completed = await host.Events.WaitForAsync<BackupCompleted>(e => e.Trigger == "schedule");
        await using (var scope = host.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
            await db.Policies.ExecuteUpdateAsync(s => s.SetProperty(p => p.NextVerificationAt, DateTime.UtcNow.AddSeconds(-1)));
        }
        var verified = await host.Client.VerifiedAsync(completed.BackupId);

        Assert.Equal(VerificationStatus.Passed, verified.Verification.Status);
        Assert.Equal(("schedule", BackupTrigger.Schedule), (verified.Initiator, verified.Trigger));
        var planned = await host.Client.GetBackupPolicyAsync(new GetBackupPolicyRequest());
        Assert.True(planned.Status.NextBackupAt.ToDateTime() > DateTime.UtcNow);
        Assert.Equal(completed.BackupId, planned.Status.LastSuccessBackupId);
    }
}
