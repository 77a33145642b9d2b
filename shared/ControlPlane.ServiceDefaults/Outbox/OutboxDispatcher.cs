using System.Diagnostics;
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
/// Publishes a context's outbox rows in order and deletes each once the broker confirmed it. While the
/// broker is down rows stay and are retried with back-off, so a committed change is never announced less
/// than once; consumers are idempotent by message id (the outbox row's id), which covers "more than once".
/// On PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED so replicas share the work without overlap.
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
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (published, complete) = await DispatchBatchAsync(stoppingToken);
                backoff = complete ? TimeSpan.Zero : NextBackoff(backoff);
                if (published == BatchSize && complete)
                {
                    continue;
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

    /// <returns>How many were published, and whether every claimed row went out.</returns>
    private async Task<(int Published, bool Complete)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var postgres = context.Database.IsNpgsql();
        // SQLite runs in one process only, and holding its write lock while the broker is slow would block every
        // writer: there rows are read without a transaction and deleted after publishing.
        await using var transaction = postgres ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        var claim = $"SELECT * FROM \"{DbCommands.TableOf<OutboxMessage>(context)}\" ORDER BY \"Sequence\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED";
        var rows = postgres
            ? await context.Set<OutboxMessage>().FromSqlRaw(claim).ToListAsync(cancellationToken)
            : await context.Set<OutboxMessage>().OrderBy(m => m.Sequence).Take(BatchSize).ToListAsync(cancellationToken);

        var published = 0;
        var complete = true;
        foreach (var row in rows)
        {
            if (!await TryPublishAsync(row, cancellationToken))
            {
                complete = false;
                break;
            }
            context.Remove(row);
            published++;
        }
        await context.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return (published, complete);
    }

    private async Task<bool> TryPublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = Type.GetType(row.MessageType, throwOnError: false);
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
