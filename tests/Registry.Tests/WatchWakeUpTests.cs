using ControlPlane.ServiceDefaults.EventLog;

namespace ControlPlane.Registry.Tests;

/// <summary>
/// The watch loop's wake-ups (pure logic, an in-memory log): a notification for events a watcher already sent
/// costs it no read, one past them does, and one made while the watcher let another pass is not lost.
/// </summary>
public class WatchWakeUpTests
{
    private sealed class Owner;

    [Fact]
    public async Task ANotificationAtOrBelowWhatWasSentCostsNoReadAndOnePastItDoes()
    {
        var changes = new ChangeNotifier<Owner>();
        var log = new List<EventRecord>();
        var reads = 0;
        var sent = new List<long>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Append(log, 5);
        var watching = WatchLoop.RunAsync(0,
            (after, limit, _) =>
            {
                Interlocked.Increment(ref reads);
                lock (log)
                {
                    return Task.FromResult(log.Where(e => e.Revision > after).Take(limit).ToList());
                }
            },
            () => changes.NextChange,
            record =>
            {
                sent.Add(record.Revision);
                return Task.CompletedTask;
            },
            stop.Token);
        await Until(() => sent.Count == 5);
        var readsAfterReplay = Volatile.Read(ref reads);

        // The bus announcing revisions 3 and 5 (a write of five events arrives as five messages): all sent already.
        changes.Notify(3);
        changes.Notify(5);
        await Task.Delay(300);
        Assert.Equal(readsAfterReplay, Volatile.Read(ref reads));

        Append(log, 1);
        changes.Notify(6);
        await Until(() => sent.Count == 6);
        Assert.Equal([1, 2, 3, 4, 5, 6], sent);
        Assert.Equal(readsAfterReplay + 1, Volatile.Read(ref reads));

        await stop.CancelAsync();
        await watching;
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

    private static void Append(List<EventRecord> log, int count)
    {
        lock (log)
        {
            for (var i = 0; i < count; i++)
            {
                log.Add(new EventRecord { Revision = log.Count + 1, Stream = "app", Subject = "i", Payload = [] });
            }
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
