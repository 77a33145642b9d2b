using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.EventLog;

public static class EventLogReader
{
    /// <summary>Up to <paramref name="limit"/> events after <paramref name="afterRevision"/>, oldest first.</summary>
    public static Task<List<EventRecord>> ReadAfterAsync(DbContext context, long afterRevision, string? stream, int limit,
        CancellationToken cancellationToken)
    {
        var query = context.Set<EventRecord>().AsNoTracking().Where(e => e.Revision > afterRevision);
        if (!string.IsNullOrEmpty(stream))
        {
            query = query.Where(e => e.Stream == stream);
        }
        return query.OrderBy(e => e.Revision).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary><see cref="ReadAfterAsync"/>'s filter, for events held in memory (see <see cref="WatchLoop"/>).</summary>
    public static Func<EventRecord, bool> InStream(string? stream) => e => string.IsNullOrEmpty(stream) || e.Stream == stream;

    /// <summary>
    /// The oldest revision still retained. When every event has been trimmed it is the next revision to come, so a
    /// watch from before the head is refused rather than silently missing the trimmed events.
    /// </summary>
    public static async Task<long> OldestRetainedAsync(DbContext context, CancellationToken cancellationToken) =>
        await context.Set<EventRecord>().MinAsync(e => (long?)e.Revision, cancellationToken) ?? await HeadAsync(context, cancellationToken) + 1;

    public static async Task<long> HeadAsync(DbContext context, CancellationToken cancellationToken) =>
        await context.Set<RevisionCounter>().AsNoTracking().Where(c => c.Id == 1).Select(c => c.Value)
            .FirstOrDefaultAsync(cancellationToken);
}
