using System.Collections.Concurrent;
using System.Threading.Channels;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Domain;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Bus;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

/// <summary>One progress report of an operation on a target.</summary>
public sealed record ProgressUpdate(string TargetDatabase, BackupProgress Progress);

/// <summary>
/// Live progress, never stored: handed to this replica's watchers and published on the bus for the watchers of
/// the other replicas. A slow watcher loses old reports (its buffer drops the oldest), never slows the work.
/// </summary>
public sealed class ProgressHub(BestEffortPublisher bus, IOptions<ControlPlaneOptions> host, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Channel<ProgressUpdate>, byte> _watchers = new();

    public IDisposable Subscribe(out ChannelReader<ProgressUpdate> reader)
    {
        var channel = Channel.CreateBounded<ProgressUpdate>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers[channel] = 0;
        reader = channel.Reader;
        return new Subscription(() => _watchers.TryRemove(channel, out _));
    }

    public void Publish(string target, BackupProgress progress)
    {
        Deliver(new ProgressUpdate(target, progress));
        // Best effort: a bus outage must not disturb the backup it reports on.
        bus.Publish(new BackupProgressed(host.Value.InstanceId, BackupMapping.Word(progress.Operation), progress.BackupId,
            progress.RestoreId, target, BackupMapping.Word(progress.Phase), progress.BytesDone, progress.BytesTotal,
            progress.TablesDone, progress.TablesTotal, clock.GetUtcNow()));
    }

    /// <summary>A report from another replica's operation.</summary>
    public void Receive(BackupProgressed message)
    {
        if (message.Replica == host.Value.InstanceId)
        {
            return;
        }
        Deliver(new ProgressUpdate(message.TargetDatabase, new BackupProgress
        {
            Operation = Enum.TryParse<BackupOperation>(message.Operation, ignoreCase: true, out var operation) ? operation : BackupOperation.Unspecified,
            BackupId = message.BackupId,
            RestoreId = message.RestoreId,
            Phase = Enum.TryParse<BackupPhase>(message.Phase, ignoreCase: true, out var phase) ? phase : BackupPhase.Unspecified,
            BytesDone = message.BytesDone,
            BytesTotal = message.BytesTotal,
            TablesDone = message.TablesDone,
            TablesTotal = message.TablesTotal,
        }));
    }

    private void Deliver(ProgressUpdate update)
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(update);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
