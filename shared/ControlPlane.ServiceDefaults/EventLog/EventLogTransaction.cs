using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>
/// Hands out revisions inside a write transaction. Beginning it locks the revision row, so concurrent
/// writers commit in revision order and a watcher that has seen revision N can never later meet an
/// uncommitted N-1 (the classic gap of sequence-numbered logs).
/// </summary>
public sealed class EventLogTransaction
{
    private readonly DbContext _context;
    private readonly long _head;
    private readonly List<EventRecord> _appended = [];

    private EventLogTransaction(DbContext context, long head)
    {
        _context = context;
        _head = head;
        Current = head;
    }

    /// <summary>The last revision handed out (or the log's head when none was).</summary>
    public long Current { get; private set; }

    /// <summary>The events appended, in revision order: consecutive revisions after the head.</summary>
    public IReadOnlyList<EventRecord> Appended => _appended;

    public static async Task<EventLogTransaction> BeginAsync(DbContext context, CancellationToken cancellationToken)
    {
        var table = context.QuotedTable<RevisionCounter>();
        // MySQL/MariaDB have no UPDATE … RETURNING; a locking read holds the row the same way (InnoDB, until commit).
        var value = await DbCommands.ScalarAsync(context, context.IsMySql()
            ? $"SELECT `Value` FROM {table} WHERE `Id` = 1 FOR UPDATE"
            : $"UPDATE {table} SET \"Value\" = \"Value\" WHERE \"Id\" = 1 RETURNING \"Value\"", cancellationToken);
        return new EventLogTransaction(context, Convert.ToInt64(value ?? 0L, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Adds an event at the next revision; <paramref name="payload"/> is given that revision to embed it.</summary>
    public long Append(string stream, string subject, int type, Func<long, byte[]> payload, DateTime occurredAt)
    {
        Current++;
        var record = new EventRecord
        {
            Revision = Current,
            Stream = stream,
            Subject = subject,
            Type = type,
            Payload = payload(Current),
            OccurredAt = occurredAt,
        };
        _context.Set<EventRecord>().Add(record);
        _appended.Add(record);
        return Current;
    }

    /// <summary>
    /// Stores the new head with the transaction's own SaveChanges (call just before it): one statement in the same
    /// batch as the events rather than a round trip of its own while every other writer waits for the lock.
    /// </summary>
    public void Complete()
    {
        if (Current == _head)
        {
            return;
        }
        var counters = _context.Set<RevisionCounter>();
        var counter = counters.Local.FirstOrDefault(c => c.Id == 1) ?? counters.Attach(new RevisionCounter { Id = 1 }).Entity;
        counter.Value = Current;
        // Written even when the tracked value looks equal (a context kept from a rolled-back write may be stale).
        _context.Entry(counter).Property(c => c.Value).IsModified = true;
    }
}
