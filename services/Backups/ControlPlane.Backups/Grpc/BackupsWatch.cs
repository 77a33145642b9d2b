using System.Threading.Channels;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Operations;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Backups.Grpc;

/// <summary>
/// WatchBackups: the operations in progress (from revision 0) or the log after the client's revision, then every
/// stored change as it commits (the shared <see cref="WatchLoop"/>), merged with live progress when asked for.
/// One writer drains a queue into the stream, since a gRPC stream takes one write at a time.
/// </summary>
public sealed class BackupsWatch(IServiceScopeFactory scopes, ChangeNotifier<BackupsDbContext> changes, ProgressHub hub, TimeProvider clock)
{
    public async Task RunAsync(WatchBackupsRequest request, IServerStreamWriter<BackupEvent> stream, CancellationToken cancellationToken)
    {
        var start = await StartAsync(request, stream, cancellationToken);
        var outgoing = Channel.CreateBounded<BackupEvent>(256);
        var last = start;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var log = Task.Run(async () =>
        {
            try
            {
                await WatchLoop.RunAsync(start, (after, limit, ct) => ReadAfterAsync(request, after, limit, ct), () => changes.NextChange,
                    record => Matches(request, record.Stream, record.Subject),
                    async record =>
                    {
                        await outgoing.Writer.WriteAsync(BackupEvent.Parser.ParseFrom(record.Payload), stop.Token);
                        Interlocked.Exchange(ref last, record.Revision);
                    }, stop.Token);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                outgoing.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);
        ChannelReader<ProgressUpdate>? updates = null;
        using var progress = request.IncludeProgress ? hub.Subscribe(out updates) : null;
        var live = progress is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await foreach (var update in updates!.ReadAllAsync(stop.Token))
            {
                if (Matches(request, update.TargetDatabase, update.Progress.BackupId))
                {
                    // Dropped when the client lags: progress is superseded by the next report anyway.
                    outgoing.Writer.TryWrite(new BackupEvent
                    {
                        Type = BackupEventType.Progress,
                        Revision = Interlocked.Read(ref last),
                        OccurredAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
                        Progress = update.Progress,
                    });
                }
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var evt in outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await stream.WriteAsync(evt, cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(log, live).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Checks the revision and sends the snapshot; returns the revision to follow the log from.</summary>
    private async Task<long> StartAsync(WatchBackupsRequest request, IServerStreamWriter<BackupEvent> stream, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
        if (request.FromRevision > 0)
        {
            var oldest = await EventLogReader.OldestRetainedAsync(db, cancellationToken);
            if (oldest > request.FromRevision + 1)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange,
                    $"revision {request.FromRevision} is older than the retained log (oldest {oldest}): list backups again and watch from the list's revision"));
            }
            return request.FromRevision;
        }
        var head = await EventLogReader.HeadAsync(db, cancellationToken);
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var backups = await db.Backups.AsNoTracking()
            .Where(b => b.Status == BackupStatus.Pending || b.Status == BackupStatus.Running
                || b.VerificationStatus == VerificationStatus.Pending || b.VerificationStatus == VerificationStatus.Running)
            .OrderBy(b => b.Id).ToListAsync(cancellationToken);
        foreach (var backup in backups.Where(b => Matches(request, b.TargetDatabase, b.Id)))
        {
            await stream.WriteAsync(new BackupEvent { Revision = head, Type = BackupEventType.Snapshot, OccurredAt = now, Backup = backup.ToApi() }, cancellationToken);
        }
        var restores = await db.Restores.AsNoTracking()
            .Where(r => r.Status == RestoreStatus.Pending || r.Status == RestoreStatus.Running).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        foreach (var restore in restores.Where(r => Matches(request, r.TargetDatabase, r.BackupId)))
        {
            var backup = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == restore.BackupId, cancellationToken);
            await stream.WriteAsync(new BackupEvent
            {
                Revision = head, Type = BackupEventType.Snapshot, OccurredAt = now, Restore = restore.ToApi(), Backup = backup.ToApi(),
            }, cancellationToken);
        }
        return head;
    }

    private async Task<List<EventRecord>> ReadAfterAsync(WatchBackupsRequest request, long after, int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupsDbContext>();
        var query = db.Set<EventRecord>().AsNoTracking().Where(e => e.Revision > after);
        if (request.TargetDatabase.Length > 0)
        {
            query = query.Where(e => e.Stream == request.TargetDatabase);
        }
        if (request.BackupId.Length > 0)
        {
            query = query.Where(e => e.Subject == request.BackupId);
        }
        return await query.OrderBy(e => e.Revision).Take(limit).ToListAsync(cancellationToken);
    }

    private static bool Matches(WatchBackupsRequest request, string target, string backupId) =>
        (request.TargetDatabase.Length == 0 || request.TargetDatabase == target)
        && (request.BackupId.Length == 0 || request.BackupId == backupId);
}
