using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// The progress of one running operation. Phase changes are reported at once; byte and table counts once a
/// second while <see cref="RunAsync"/> runs (the byte count is sampled from the stream doing the work).
/// </summary>
public sealed class ProgressReporter(ProgressHub? hub, BackupOperation operation, string target, string backupId, string restoreId = "")
{
    private readonly Lock _lock = new();
    private BackupPhase _phase = BackupPhase.Queued;
    private Func<long>? _bytes;
    private long _bytesTotal;
    private int _tablesDone;
    private int _tablesTotal;

    /// <summary>Reports nothing (used where no one watches, e.g. tools and tests).</summary>
    public static ProgressReporter None => new(null, BackupOperation.Unspecified, "", "");

    public BackupPhase CurrentPhase => _phase;

    public void Phase(BackupPhase phase, Func<long>? bytes = null, long bytesTotal = 0)
    {
        lock (_lock)
        {
            _phase = phase;
            _bytes = bytes;
            _bytesTotal = bytesTotal;
        }
        Send();
    }

    /// <param name="total">0 keeps the known total.</param>
    public void Tables(int done, int total)
    {
        lock (_lock)
        {
            _tablesDone = done;
            _tablesTotal = total > 0 ? total : _tablesTotal;
        }
    }

    public BackupProgress Snapshot()
    {
        lock (_lock)
        {
            return new BackupProgress
            {
                Operation = operation,
                BackupId = backupId,
                RestoreId = restoreId,
                Phase = _phase,
                BytesDone = _bytes?.Invoke() ?? 0,
                BytesTotal = _bytesTotal,
                TablesDone = _tablesDone,
                TablesTotal = _tablesTotal,
            };
        }
    }

    /// <summary>Sends the counts once a second until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (hub is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Send();
            }
        }
        catch (OperationCanceledException)
        {
            // The operation ended.
        }
    }

    private void Send() => hub?.Publish(target, Snapshot());
}
