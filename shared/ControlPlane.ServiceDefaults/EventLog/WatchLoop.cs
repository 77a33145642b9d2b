using Microsoft.Extensions.Hosting;

namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>
/// The shape of every Watch* stream: replay the log after the client's revision, then wait for a change
/// and read again. Reading the log (not forwarding bus messages) is what makes a resumed watch see every
/// event exactly once and in order; the notifier only makes it prompt. A change that carries its commit's
/// events, when they directly follow what was sent, is sent without a read: it is exactly what the read would return.
/// </summary>
public static class WatchLoop
{
    private const int PageSize = 500;

    /// <summary>Without a wake-up (e.g. a replica whose bus is down) the log is still re-read this often.</summary>
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(2);

    /// <param name="matches">
    /// The watch's filter, as <paramref name="readAfter"/> applies it, for events a change carries; null: such events
    /// are not used, the log is read.
    /// </param>
    public static async Task RunAsync(
        long fromRevision,
        Func<long, int, CancellationToken, Task<List<EventRecord>>> readAfter,
        Func<Task<LogChange>> nextChange,
        Func<EventRecord, bool>? matches,
        Func<EventRecord, Task> send,
        CancellationToken cancellationToken)
    {
        var last = fromRevision;
        try
        {
            await FollowAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, or the host is stopping: the stream simply ends.
        }

        async Task FollowAsync()
        {
            IReadOnlyList<EventRecord>? carried = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                // Take the wake-up before reading, so a commit between the read and the wait is not missed.
                var change = nextChange();
                if (carried is not null)
                {
                    foreach (var record in carried)
                    {
                        if (matches!(record))
                        {
                            await send(record);
                        }
                        last = record.Revision;
                    }
                }
                else
                {
                    var page = await readAfter(last, PageSize, cancellationToken);
                    foreach (var record in page)
                    {
                        await send(record);
                        last = record.Revision;
                    }
                    if (page.Count == PageSize)
                    {
                        continue;
                    }
                }
                carried = await WaitBeyondAsync(change);
            }
        }

        // Until a change past what was sent, or the fallback poll; returns the change's events when they follow on.
        async Task<IReadOnlyList<EventRecord>?> WaitBeyondAsync(Task<LogChange> change)
        {
            var poll = Task.Delay(FallbackPoll, cancellationToken);
            while (await Task.WhenAny(change, poll) == change)
            {
                var seen = await change;
                if (seen.Revision > last)
                {
                    // The notifier passes on only a commit's consecutive events ending at the change's revision.
                    return matches is not null && seen.Events is { } events && events[0].Revision == last + 1 ? events : null;
                }
                change = seen.Next;
            }
            await poll;
            return null;
        }
    }

    /// <summary>
    /// The token a watch should run under: the call's, ended also when the host begins to stop, so a graceful
    /// shutdown does not wait for watchers (even the process's own clients) to hang up.
    /// </summary>
    public static CancellationTokenSource Until(CancellationToken call, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(call, lifetime.ApplicationStopping);
}
