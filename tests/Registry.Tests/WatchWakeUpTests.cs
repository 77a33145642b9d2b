using ControlPlane.ServiceDefaults.EventLog;

namespace ControlPlane.Registry.Tests;

/// <summary>
/// The watch loop's wake-ups (pure logic, an in-memory log): a notification for events a watcher already sent
/// costs it no read, one past them does, one made while the watcher let another pass is not lost, and the events a
/// change carries are sent without a read only when they follow on.
/// </summary>
public class WatchWakeUpTests
{
    private sealed class Owner;

    [Fact]
    public async Task ANotificationAtOrBelowWhatWasSentCostsNoReadAndOnePastItDoes()
    {
        await using var watch = new InMemoryWatch(matches: null);
        watch.Append(5);
        watch.Start();
        await watch.UntilSentAsync(5);
        var readsAfterReplay = watch.Reads;

        // The bus announcing revisions 3 and 5 (a write of five events arrives as five messages): all sent already.
        watch.Changes.Notify(3);
        watch.Changes.Notify(5);
        await Task.Delay(300);
        Assert.Equal(readsAfterReplay, watch.Reads);

        watch.Append(1);
        watch.Changes.Notify(6);
        await watch.UntilSentAsync(6);
        Assert.Equal([1, 2, 3, 4, 5, 6], watch.Sent);
        Assert.Equal(readsAfterReplay + 1, watch.Reads);
    }

    [Fact]
    public async Task EventsAChangeCarriesAreSentWithoutAReadOnlyWhenTheyFollowOnAndThroughTheWatchsFilter()
    {
        await using var watch = new InMemoryWatch(matches: e => e.Stream == "app");
        watch.Append(2);
        watch.Start();
        await watch.UntilSentAsync(2);
        var readsAfterReplay = watch.Reads;

        // Revisions 3-5 right after 2, one of another app: sent from the change, the other app's skipped, no read.
        watch.Changes.Notify(5, watch.Append(3, otherAppAt: 1));
        await watch.UntilSentAsync(4);
        Assert.Equal(readsAfterReplay, watch.Reads);

        // 6 never came by the bus (its copy was lost): 7 does not follow 5, so the log is read and both go, in order.
        watch.Append(1);
        watch.Changes.Notify(7, watch.Append(1));
        await watch.UntilSentAsync(6);
        Assert.Equal(readsAfterReplay + 1, watch.Reads);
        Assert.Equal([1, 2, 3, 5, 6, 7], watch.Sent);

        // Events that are not the commit's ending at the change's revision (8 alone, for 9) are not taken: read.
        var eight = watch.Append(2).Take(1).ToList();
        watch.Changes.Notify(9, eight);
        await watch.UntilSentAsync(8);
        Assert.Equal(readsAfterReplay + 2, watch.Reads);
        Assert.Equal([1, 2, 3, 5, 6, 7, 8, 9], watch.Sent);
    }

    [Fact]
    public async Task ANotificationMadeWhileAWatcherLetsAnotherPassIsFollowed()
    {
        var changes = new ChangeNotifier<Owner>();
        var taken = changes.NextChange;

        changes.Notify(1);
        changes.Notify(7);

        var first = await taken;
        Assert.Equal(1, first.Revision);
        var second = await first.Next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(7, second.Revision);
        Assert.False(second.Next.IsCompleted);
    }

    /// <summary>A watch loop over an in-memory log whose reads apply the same filter as <c>matches</c> (app "app").</summary>
    private sealed class InMemoryWatch(Func<EventRecord, bool>? matches) : IAsyncDisposable
    {
        private readonly List<EventRecord> _log = [];
        private readonly List<long> _sent = [];
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private int _reads;
        private Task _watching = Task.CompletedTask;

        public ChangeNotifier<Owner> Changes { get; } = new();

        public int Reads => Volatile.Read(ref _reads);

        public List<long> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public void Start() => _watching = WatchLoop.RunAsync(0,
            (after, limit, _) =>
            {
                Interlocked.Increment(ref _reads);
                lock (_log)
                {
                    return Task.FromResult(_log.Where(e => e.Revision > after && (matches is null || matches(e))).Take(limit).ToList());
                }
            },
            () => Changes.NextChange,
            matches,
            record =>
            {
                lock (_sent)
                {
                    _sent.Add(record.Revision);
                }
                return Task.CompletedTask;
            },
            _stop.Token);

        /// <returns>The events appended, as their commit's change carries them.</returns>
        public List<EventRecord> Append(int count, int otherAppAt = -1)
        {
            lock (_log)
            {
                var added = Enumerable.Range(0, count)
                    .Select(i => new EventRecord { Revision = _log.Count + 1 + i, Stream = i == otherAppAt ? "other" : "app", Subject = "i", Payload = [] })
                    .ToList();
                _log.AddRange(added);
                return added;
            }
        }

        public async Task UntilSentAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Sent.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Sent.Count} of {count} sent in time");
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _watching;
            _stop.Dispose();
        }
    }
}
