using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Backups.Tests;

/// <summary>Two replicas on one PostgreSQL and one RabbitMQ vhost, sharing the artifact repository.</summary>
public class HighAvailabilityTests
{
    [Fact]
    public async Task ABusCommandIsRunByOneReplicaAndAWatcherOnTheOtherSeesItsChangesAndProgress()
    {
        await using var controlPlane = await PostgresDatabase.CreateAsync();
        await using var source = await PostgresDatabase.CreateAsync();
        await SampleDatabase.FillAsync(source, rows: 3000);
        await using var vhost = await RabbitMqVhost.CreateAsync();
        using var repository = new TestFolder();
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:HighAvailability"] = "true",
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
            ["Backups:Targets:fleet:ConnectionString"] = source.ConnectionString,
        };
        await using var a = await BackupsHost.StartAsync(repository.Path, settings, controlPlane);
        await using var b = await BackupsHost.StartAsync(repository.Path, settings, controlPlane);
        var from = (await b.Client.ListBackupsAsync(new ListBackupsRequest())).Revision;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var watch = b.Client.WatchBackups(new WatchBackupsRequest { FromRevision = from, IncludeProgress = true }, cancellationToken: timeout.Token);

        // A change on replica A reaching the watcher on B proves the watch is live before the backup starts.
        await a.Client.SetBackupPolicyAsync(new SetBackupPolicyRequest { Policy = new BackupPolicy { TargetDatabase = "fleet" } });
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(BackupEventType.PolicyChanged, watch.ResponseStream.Current.Type);

        var send = await a.Host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri("queue:backups-create-backup"));
        await send.Send(new CreateBackup("fleet", RequestId: "ha-1"), timeout.Token);
        await send.Send(new CreateBackup("fleet", RequestId: "ha-1"), timeout.Token);

        var events = new List<BackupEvent>();
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
            events.Add(watch.ResponseStream.Current);
            if (watch.ResponseStream.Current is { Type: BackupEventType.BackupChanged, Backup.Status: BackupStatus.Succeeded or BackupStatus.Failed })
            {
                break;
            }
        }
        var done = events[^1].Backup;
        Assert.True(done.Status == BackupStatus.Succeeded, done.Error);
        Assert.Equal(BackupTrigger.Bus, done.Trigger);
        Assert.Contains(events, e => e.Type == BackupEventType.Progress && e.Progress.BackupId == done.Id);
        Assert.Equal(done.Id, Assert.Single((await a.Client.ListBackupsAsync(new ListBackupsRequest())).Backups).Id);
    }
}
