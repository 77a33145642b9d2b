namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>
/// Wakes every waiting watcher when new events may be in the log: after a local commit, or when the bus
/// says another replica committed. A notification that names its revision wakes only the watchers that have
/// not sent that far: a write of many events arrives as many bus messages, and the first read usually returns
/// them all, so the rest would each cost every watcher a query for nothing.
/// </summary>
public sealed class ChangeNotifier<TOwner>
{
    private TaskCompletionSource<LogChange> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next notification. Take it before reading the log, then await it (see <see cref="LogChange"/>).</summary>
    public Task<LogChange> NextChange => Volatile.Read(ref _next).Task;

    /// <summary>The log may have changed; how far is not known.</summary>
    public void Notify() => Notify(long.MaxValue);

    /// <summary>The log holds events up to <paramref name="revision"/>; <paramref name="events"/>, when given, are the last of them.</summary>
    /// <param name="events">
    /// One commit's events: consecutive revisions ending at <paramref name="revision"/>. Anything else (a message from
    /// the bus is not trusted to be that) is not passed on, and watchers read the log.
    /// </param>
    public void Notify(long revision, IReadOnlyList<EventRecord>? events = null)
    {
        var fresh = new TaskCompletionSource<LogChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = Interlocked.Exchange(ref _next, fresh);
        previous.TrySetResult(new LogChange(revision, fresh.Task, events is not null && IsCommit(events, revision) ? events : null));
    }

    private static bool IsCommit(IReadOnlyList<EventRecord> events, long revision)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Revision != revision - events.Count + 1 + i)
            {
                return false;
            }
        }
        return events.Count > 0;
    }
}

/// <summary>
/// One notification, linked to the next: a watcher that lets one pass follows <see cref="Next"/>, so a
/// notification made meanwhile is never missed. <see cref="Events"/>, when known, spare a watcher that has sent
/// everything before them a read of the log.
/// </summary>
public sealed record LogChange(long Revision, Task<LogChange> Next, IReadOnlyList<EventRecord>? Events = null);
