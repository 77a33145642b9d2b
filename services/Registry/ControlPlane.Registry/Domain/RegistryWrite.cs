using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>One Registry write transaction: its time, and the events it announces (log + outbox, same transaction).</summary>
public sealed class RegistryWrite(EventWrite<RegistryDbContext> write)
{
    public RegistryDbContext Db => write.Db;

    public DateTime Now => write.Now;

    public DateTimeOffset NowOffset => write.NowOffset;

    /// <summary>The newest revision handed out so far (the log's head when none was).</summary>
    public long Revision => write.Revision;

    public void Publish<T>(T message) where T : class => write.Publish(message);

    /// <summary>Instances this write announced a change of.</summary>
    public List<string> Touched { get; } = [];

    /// <summary>
    /// Records an instance event at the next revision: stamps the instance with it, appends the watchable event
    /// to the log and queues <paramref name="busMessage"/> (built for that revision) in the outbox.
    /// </summary>
    public long Emit(InstanceEventType type, InstanceRecord instance, string reason, Func<long, object> busMessage,
        IEnumerable<DriftField>? drift = null)
    {
        Touched.Add(instance.InstanceId);
        var revision = write.Append(instance.App, instance.InstanceId, (int)type, rev =>
        {
            instance.Revision = rev;
            var evt = new InstanceEvent
            {
                Revision = rev,
                Type = type,
                Instance = instance.ToApi(),
                OccurredAt = Timestamp.FromDateTime(write.Now),
                Reason = reason,
            };
            if (drift is not null)
            {
                evt.Drift.AddRange(drift);
            }
            return evt.ToByteArray();
        });
        write.Publish(busMessage(revision));
        return revision;
    }
}
