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
    private readonly string _counterTable;

    private EventLogTransaction(DbContext context, string counterTable, long current)
    {
        _context = context;
        _counterTable = counterTable;
        Current = current;
    }

    /// <summary>The last revision handed out (or the log's head when none was).</summary>
    public long Current { get; private set; }

    public static async Task<EventLogTransaction> BeginAsync(DbContext context, CancellationToken cancellationToken)
    {
        var table = DbCommands.TableOf<RevisionCounter>(context);
        var value = await DbCommands.ScalarAsync(context,
            $"UPDATE \"{table}\" SET \"Value\" = \"Value\" WHERE \"Id\" = 1 RETURNING \"Value\"", cancellationToken);
        return new EventLogTransaction(context, table, Convert.ToInt64(value ?? 0L));
    }

    /// <summary>Adds an event at the next revision; <paramref name="payload"/> is given that revision to embed it.</summary>
    public long Append(string stream, string subject, int type, Func<long, byte[]> payload, DateTime occurredAt)
    {
        Current++;
        _context.Set<EventRecord>().Add(new EventRecord
        {
            Revision = Current,
            Stream = stream,
            Subject = subject,
            Type = type,
            Payload = payload(Current),
            OccurredAt = occurredAt,
        });
        return Current;
    }

    /// <summary>Stores the new head; call before SaveChanges, inside the same transaction.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) =>
        DbCommands.ExecuteAsync(_context, $"UPDATE \"{_counterTable}\" SET \"Value\" = @value WHERE \"Id\" = 1",
            cancellationToken, ("@value", Current));
}
