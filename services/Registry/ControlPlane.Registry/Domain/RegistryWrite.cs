using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>One Registry write transaction: its time, and the events it announces (log + outbox, same transaction).</summary>
public sealed class RegistryWrite(RegistryDbContext db, EventLogTransaction log, DateTime now)
{
    public RegistryDbContext Db => db;

    public DateTime Now => now;

    public DateTimeOffset NowOffset => new(now, TimeSpan.Zero);

    /// <summary>The newest revision handed out so far (the log's head when none was).</summary>
    public long Revision => log.Current;

    /// <summary>
    /// Records an instance event at the next revision: stamps the instance with it, appends the watchable event
    /// to the log and queues <paramref name="busMessage"/> (built for that revision) in the outbox.
    /// </summary>
    public long Emit(InstanceEventType type, InstanceRecord instance, string reason, Func<long, object> busMessage,
        IEnumerable<DriftField>? drift = null)
    {
        var revision = log.Append(instance.App, instance.InstanceId, (int)type, rev =>
        {
            instance.Revision = rev;
            var evt = new InstanceEvent
            {
                Revision = rev,
                Type = type,
                Instance = instance.ToApi(),
                OccurredAt = Timestamp.FromDateTime(now),
                Reason = reason,
            };
            if (drift is not null)
            {
                evt.Drift.AddRange(drift);
            }
            return evt.ToByteArray();
        }, now);
        db.AddOutboxMessage(busMessage(revision));
        return revision;
    }
}
