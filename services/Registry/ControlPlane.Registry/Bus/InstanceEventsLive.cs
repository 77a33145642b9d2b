using ControlPlane.ServiceDefaults.EventLog;

namespace ControlPlane.Registry.Bus;

/// <summary>
/// One Registry commit's events themselves, consecutive revisions, sent by the replica that wrote them straight after
/// commit: other replicas' watchers send them on without reading the log. Replica to replica only, and best effort: a
/// copy lost or out of order costs a watcher a read of the log, woken by the commit's durable InstanceEventsCommitted.
/// </summary>
public sealed record InstanceEventsLive(IReadOnlyList<EventRecord> Events);
