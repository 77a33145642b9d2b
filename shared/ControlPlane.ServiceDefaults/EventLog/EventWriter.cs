using ControlPlane.ServiceDefaults.Leases;
using ControlPlane.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>
/// Runs a change as one transaction together with the events that announce it (event log + outbox), then
/// wakes the outbox dispatcher and local watchers. Writers are ordered by the event log's revision lock,
/// taken first (after the lease fence, when the write is a leased job's).
/// </summary>
public sealed class EventWriter<TContext>(
    TContext db,
    OutboxSignal<TContext> outbox,
    ChangeNotifier<TContext> changes,
    TimeProvider clock)
    where TContext : DbContext
{
    public TContext Db => db;

    public async Task<T> WriteAsync<T>(Func<EventWrite<TContext>, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        T result;
        EventLogTransaction log;
        List<long> messages;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (fence is not null)
            {
                await LeaseStore.FenceAsync(db, fence, clock, cancellationToken);
            }
            log = await EventLogTransaction.BeginAsync(db, cancellationToken);
            result = await work(new EventWrite<TContext>(db, log, clock.GetUtcNow().UtcDateTime));
            log.Complete();
            await db.SaveChangesAsync(cancellationToken);
            messages = OutboxKeys();
            await transaction.CommitAsync(cancellationToken);
        }
        outbox.Notify(messages);
        changes.Notify(log.Current, log.Appended);
        return result;
    }

    /// <summary>
    /// The keys of the outbox rows just saved, so the dispatcher claims them by key, not by scanning for the oldest
    /// rows. Without a second change detection: SaveChanges has just run one, and it walks every tracked entity.
    /// </summary>
    private List<long> OutboxKeys()
    {
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return tracker.Entries<OutboxMessage>().Select(e => e.Entity.Sequence).ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}

/// <summary>One write transaction: its time, and the events it appends and publishes.</summary>
public sealed class EventWrite<TContext>(TContext db, EventLogTransaction log, DateTime now) where TContext : DbContext
{
    public TContext Db => db;

    public DateTime Now => now;

    public DateTimeOffset NowOffset => new(now, TimeSpan.Zero);

    /// <summary>The newest revision handed out so far (the log's head when none was).</summary>
    public long Revision => log.Current;

    /// <summary>The events appended so far, in revision order.</summary>
    public IReadOnlyList<EventRecord> Appended => log.Appended;

    /// <summary>Appends a watchable event at the next revision; <paramref name="payload"/> gets that revision to embed.</summary>
    public long Append(string stream, string subject, int type, Func<long, byte[]> payload) =>
        log.Append(stream, subject, type, payload, now);

    /// <summary>Queues a bus message to be published after commit.</summary>
    public void Publish<T>(T message) where T : class => db.AddOutboxMessage(message);
}
