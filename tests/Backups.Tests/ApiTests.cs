using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Contracts;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Backups.Tests;

/// <summary>The Backups API over a real gRPC channel, and its bus command.</summary>
public class ApiTests
{
    [Fact]
    public async Task BadRequestsAreRefusedWithTheFieldNamed()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        var client = host.Client;
        var backup = await client.BackUpAsync();

        await RpcAssert.InvalidFieldAsync("confirm", () => client.RestoreBackupAsync(
            new RestoreBackupRequest { BackupId = backup.Id, TargetDatabase = "copy" }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("confirm", () => client.RestoreBackupAsync(
            new RestoreBackupRequest { BackupId = backup.Id, TargetDatabase = "copy", Confirm = "Copy" }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("target_database", () => client.RestoreBackupAsync(
            new RestoreBackupRequest { BackupId = backup.Id, TargetDatabase = "nowhere", Confirm = "nowhere" }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("target_database", () => client.CreateBackupAsync(new CreateBackupRequest { TargetDatabase = "nowhere" }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("compression", () => client.CreateBackupAsync(
            new CreateBackupRequest { Compression = BackupCompression.Zstd }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("labels", () => client.CreateBackupAsync(
            new CreateBackupRequest { Labels = { ["bad key!"] = "x" } }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("policy.schedule", () => client.SetBackupPolicyAsync(new SetBackupPolicyRequest
        {
            Policy = new BackupPolicy { Schedule = "every day" },
        }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("policy.time_zone", () => client.SetBackupPolicyAsync(new SetBackupPolicyRequest
        {
            Policy = new BackupPolicy { Schedule = "0 3 * * *", TimeZone = "Mars/Olympus" },
        }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("policy.freshness_max_age", () => client.SetBackupPolicyAsync(new SetBackupPolicyRequest
        {
            Policy = new BackupPolicy { FreshnessMaxAge = Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)) },
        }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => client.GetBackupAsync(new GetBackupRequest { BackupId = "b-missing" }).ResponseAsync);
        Assert.Single((await client.ListBackupsAsync(new ListBackupsRequest())).Backups);
    }

    [Fact]
    public async Task APinnedBackupIsDeletedOnlyWithForceAndItsRecordStays()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        var created = await host.Client.CreateBackupAsync(new CreateBackupRequest { Pinned = true, Description = "before upgrade", RequestId = "pin-1" });
        Assert.Equal(created.Id, (await host.Client.CreateBackupAsync(new CreateBackupRequest { Pinned = true, RequestId = "pin-1" })).Id);
        var backup = await host.Client.FinishedAsync(created.Id);

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => host.Client.DeleteBackupAsync(new DeleteBackupRequest { BackupId = backup.Id }).ResponseAsync);
        var deleted = await host.Client.DeleteBackupAsync(new DeleteBackupRequest { BackupId = backup.Id, Force = true });

        Assert.Equal(BackupStatus.Deleted, deleted.Status);
        Assert.False(Directory.Exists(ArtifactRepository.FolderOfUri(backup.ArtifactUri)));
        Assert.Empty((await host.Client.ListBackupsAsync(new ListBackupsRequest())).Backups);
        var all = await host.Client.ListBackupsAsync(new ListBackupsRequest { Statuses = { BackupStatus.Deleted } });
        Assert.Equal("before upgrade", Assert.Single(all.Backups).Description);
    }

    [Fact]
    public async Task WatchBackupsStreamsEveryChangeInOrderWithLiveProgress()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        // A backup before the watch puts the log's revision past 0: watching from 0 asks for a snapshot of the operations
        // in progress, not the log, so a watch whose call started late (a cold CI machine) missed a quick first backup.
        await host.Client.FinishedAsync((await host.Client.CreateBackupAsync(new CreateBackupRequest())).Id);
        var from = (await host.Client.ListBackupsAsync(new ListBackupsRequest())).Revision;
        // Generous: two real backups on a loaded 2-core machine; a missed event would still hang here and fail.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var watch = host.Client.WatchBackups(new WatchBackupsRequest { FromRevision = from, IncludeProgress = true }, cancellationToken: timeout.Token);
        var events = new List<BackupEvent>();
        // Until the backup's first terminal change: a failed backup fails the test with its reason, not by timing out.
        // Timed out, it says whether the backup is stuck or its change never reached the watch.
        async Task<Backup> UntilFinishedAsync(string backupId)
        {
            try
            {
                while (await watch.ResponseStream.MoveNext(timeout.Token))
                {
                    events.Add(watch.ResponseStream.Current);
                    if (watch.ResponseStream.Current is { Type: BackupEventType.BackupChanged, Backup: var backup } && backup.Id == backupId
                        && backup.Status is BackupStatus.Succeeded or BackupStatus.Failed or BackupStatus.Cancelled)
                    {
                        Assert.True(backup.Status == BackupStatus.Succeeded, $"backup {backup.Id} ended {backup.Status}: {backup.Error}");
                        return backup;
                    }
                }
            }
            catch (Exception) when (timeout.IsCancellationRequested)
            {
                var stored = await host.Client.GetBackupAsync(new GetBackupRequest { BackupId = backupId });
                throw new TimeoutException($"no terminal change of {backupId} watched; stored: {stored}; watched: {string.Join(" | ", events)}");
            }
            throw new InvalidOperationException("watch ended");
        }

        // The first backup proves the watch is live; the second's progress must then reach it.
        await UntilFinishedAsync((await host.Client.CreateBackupAsync(new CreateBackupRequest())).Id);
        var second = await host.Client.CreateBackupAsync(new CreateBackupRequest { Kind = BackupKind.Full });
        var done = await UntilFinishedAsync(second.Id);

        Assert.Equal(second.Id, done.Id);
        var stored = events.Where(e => e.Type != BackupEventType.Progress).ToList();
        Assert.Equal(stored.Select(e => e.Revision).Order(), stored.Select(e => e.Revision));
        Assert.Equal([BackupStatus.Pending, BackupStatus.Running, BackupStatus.Succeeded],
            stored.Where(e => e.Backup.Id == second.Id).Select(e => e.Backup.Status));
        var progress = events.Where(e => e.Type == BackupEventType.Progress && e.Progress.BackupId == second.Id).Select(e => e.Progress.Phase).ToList();
        Assert.Contains(BackupPhase.Dumping, progress);
        Assert.Contains(BackupPhase.CollectingConfig, progress);

        using var resumed = host.Client.WatchBackups(new WatchBackupsRequest { FromRevision = stored[^2].Revision, BackupId = second.Id },
            cancellationToken: timeout.Token);
        Assert.True(await resumed.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(stored[^1].Revision, resumed.ResponseStream.Current.Revision);
    }

    [Fact]
    public async Task TheCreateBackupCommandOnTheBusTakesOneBackupHoweverOftenItIsDelivered()
    {
        using var repository = new TestFolder();
        await using var host = await BackupsHost.StartAsync(repository.Path);
        var send = await host.Host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri("queue:backups-create-backup"));
        var command = new CreateBackup("", Kind: "database", Verify: true, Initiator: "rollouts",
            Labels: new Dictionary<string, string> { ["rollout_id"] = "r-42" }, RequestId: "rollout-r-42-before");

        await send.Send(command);
        await send.Send(command);
        await send.Send(new CreateBackup("nowhere"));

        var completed = await host.Events.WaitForAsync<BackupCompleted>(e => e.RequestId == "rollout-r-42-before");
        Assert.Equal("r-42", completed.Labels["rollout_id"]);
        Assert.Equal("rollout", completed.Trigger);
        var verified = await host.Client.VerifiedAsync(completed.BackupId);
        Assert.Equal(VerificationStatus.Passed, verified.Verification.Status);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(completed.BackupId, Assert.Single((await host.Client.ListBackupsAsync(new ListBackupsRequest())).Backups).Id);
    }
}
