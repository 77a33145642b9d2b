using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Outbox;

/// <summary>
/// Publishes a context's outbox rows, a batch at a time, and deletes each once the broker confirmed it. While the
/// broker is down rows stay and are retried with back-off, so a committed change is never announced less
/// than once; consumers are idempotent by message id (the outbox row's id), which covers "more than once".
/// On PostgreSQL, MySQL 8 and MariaDB 10.6+ rows are claimed with FOR UPDATE SKIP LOCKED so replicas share the work
/// without overlap.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal<TContext> signal,
    DatabaseStatus database,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private const int BatchSize = 100;
    private const int PublishedTogether = 25;
    private const int Lanes = 4;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    // Type.GetType parses the name and loads the assembly each call: once per type name, not once per row. A name this
    // build cannot read stays unknown to it.
    private static readonly ConcurrentDictionary<string, Type?> Types = new();

    // Known once the database is migrated, before the lanes start.
    private bool _claims;
    private string _claimOldest = "";
    private string _claimKeys = "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var (table, sequence) = (context.QuotedTable<OutboxMessage>(), context.Quote("Sequence"));
            _claims = !context.Database.IsSqlite();
            _claimOldest = $"SELECT * FROM {table} ORDER BY {sequence} LIMIT {BatchSize} FOR UPDATE SKIP LOCKED";
            // PostgreSQL takes the keys as one array parameter; MySQL has no arrays, and the keys are this process's
            // own numbers, so they are written into the statement.
            _claimKeys = context.IsMySql()
                ? $"SELECT * FROM {table} WHERE {sequence} IN ({{0}}) ORDER BY {sequence} FOR UPDATE SKIP LOCKED"
                : $"SELECT * FROM {table} WHERE {sequence} = ANY({{0}}) ORDER BY {sequence} FOR UPDATE SKIP LOCKED";
        }
        // Rows committed while a batch is out go at once with another lane, not after that batch: SKIP LOCKED keeps
        // the lanes apart. SQLite rows are not claimed (see DispatchBatchAsync), so there one lane runs.
        await Task.WhenAll(Enumerable.Range(0, _claims ? Lanes : 1).Select(_ => RunLaneAsync(stoppingToken)));
    }

    private async Task RunLaneAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        // A sweep claims the oldest rows, whoever wrote them (a replica that died before publishing, rows whose keys
        // were lost); the first one finds what an earlier run left.
        var sweptAt = -Poll;
        var sweepAgain = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sweep = sweepAgain || backoff > TimeSpan.Zero || clock.Elapsed - sweptAt >= Poll;
            sweepAgain = false;
            try
            {
                // Otherwise rows this replica just committed are claimed by key. Claiming the oldest rows walks the index
                // entries of every row deleted since the table's last vacuum (tens of thousands at 1,000 messages/s),
                // which took 3 ms a claim at the median and 10 ms at p99.
                var committed = sweep ? null : signal.TakeCommitted(BatchSize);
                sweptAt = sweep ? clock.Elapsed : sweptAt;
                if (committed is null || committed.Count > 0)
                {
                    // After a failure the broker is probed with one message, not a chunk of timeouts and errors.
                    var (published, complete) = await DispatchBatchAsync(committed, backoff > TimeSpan.Zero ? 1 : PublishedTogether, stoppingToken);
                    backoff = complete ? TimeSpan.Zero : NextBackoff(backoff);
                    sweepAgain = sweep && complete && published == BatchSize;
                    if (complete && (committed is not null || sweepAgain || signal.HasCommitted))
                    {
                        continue;
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                backoff = NextBackoff(backoff);
                ServiceLog.OutboxFailed(logger, typeof(TContext).Name, backoff, ex.GetBaseException().Message);
            }
            await signal.WaitAsync(backoff > TimeSpan.Zero ? backoff : Poll, stoppingToken);
            if (backoff > TimeSpan.Zero)
            {
                await Task.Delay(backoff, stoppingToken);
            }
        }
    }

    private static TimeSpan NextBackoff(TimeSpan current) =>
        current == TimeSpan.Zero ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));

    /// <param name="keys">The rows to claim, or null for the oldest ones.</param>
    /// <param name="together">How many publishes are in flight at once.</param>
    /// <returns>How many were published, and whether every claimed row went out.</returns>
    private async Task<(int Published, bool Complete)> DispatchBatchAsync(List<long>? keys, int together, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        // SQLite runs in one process only, and holding its write lock while the broker is slow would block every
        // writer: there rows are read without a transaction and deleted after publishing.
        await using var transaction = _claims ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        var outbox = context.Set<OutboxMessage>();
        var rows = (_claims, keys) switch
        {
            (true, null) => await outbox.FromSqlRaw(_claimOldest).ToListAsync(cancellationToken),
            (true, _) when context.IsMySql() => await outbox.FromSqlRaw(string.Format(CultureInfo.InvariantCulture, _claimKeys, string.Join(',', keys))).ToListAsync(cancellationToken),
            (true, _) => await outbox.FromSqlRaw(_claimKeys, keys.ToArray()).ToListAsync(cancellationToken),
            (false, null) => await outbox.OrderBy(m => m.Sequence).Take(BatchSize).ToListAsync(cancellationToken),
            (false, _) => await outbox.Where(m => keys.Contains(m.Sequence)).OrderBy(m => m.Sequence).ToListAsync(cancellationToken),
        };

        // Several in flight, not one confirm awaited after another: their confirms come back together, so a chunk
        // costs about one round trip to the broker. Order within a chunk is not kept, and needs not be: consumers
        // take messages concurrently anyway. A chunk with a failure ends the batch; the rest wait for the retry.
        // The first row goes alone, ahead of the others' serialization: a commit's first row announces it (Registry's
        // InstanceEventsCommitted), and other replicas' watchers wait for that one.
        var published = new List<long>(rows.Count);
        foreach (var chunk in rows.Take(1).Chunk(1).Concat(rows.Skip(1).Chunk(together)))
        {
            var outcomes = await Task.WhenAll(chunk.Select(row => TryPublishAsync(row, cancellationToken)));
            published.AddRange(chunk.Where((_, i) => outcomes[i]).Select(row => row.Sequence));
            if (outcomes.Contains(false))
            {
                break;
            }
        }
        var complete = published.Count == rows.Count;
        // One statement for the published rows, not one DELETE each; SaveChanges keeps the failed rows' attempts.
        await outbox.Where(m => published.Contains(m.Sequence)).ExecuteDeleteAsync(cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return (published.Count, complete);
    }

    private async Task<bool> TryPublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = Types.GetOrAdd(row.MessageType, name => Type.GetType(name, throwOnError: false));
        if (type is null)
        {
            // A row this build cannot read (written by a newer version): keep it for a replica that can.
            row.Attempts++;
            row.LastError = $"unknown message type {row.MessageType}";
            ServiceLog.OutboxUnknownType(logger, row.MessageType, row.MessageId);
            return false;
        }
        var message = JsonSerializer.Deserialize(row.Payload, type, OutboxExtensions.Json)!;
        using var activity = ServiceDefaultsTelemetry.Source.StartActivity(
            $"outbox publish {type.Name}", ActivityKind.Producer, row.TraceParent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = row.MessageId), timeout.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            row.Attempts++;
            row.LastError = ex.GetBaseException().Message;
            ServiceLog.OutboxPublishFailed(logger, type.Name, row.MessageId, row.LastError);
            return false;
        }
    }
}
