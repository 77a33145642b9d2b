namespace ControlPlane.Contracts;

/// <summary>Every Registry event: lets a replica react to "something changed at revision N".</summary>
public interface IRegistryEvent
{
    string App { get; }
    long Revision { get; }
}

/// <summary>A Registry event about one instance.</summary>
public interface IInstanceEvent : IRegistryEvent
{
    string InstanceId { get; }
}

public sealed record AppUpserted(string App, long Generation, long Revision, DateTimeOffset OccurredAt) : IRegistryEvent;

public sealed record InstanceRegistered(
    string InstanceId, string App, string Address, string Version, string AgentAddress,
    long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

public sealed record InstanceUpdated(
    string InstanceId, string App, string Version, string ConfigHash, IReadOnlyList<string> Plugins, string SchemaVersion,
    long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

public sealed record InstanceDrainChanged(
    string InstanceId, string App, bool Draining, string Reason, long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

public sealed record InstanceExpired(
    string InstanceId, string App, DateTimeOffset LeaseExpiredAt, long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

public sealed record InstanceDeregistered(
    string InstanceId, string App, string Reason, long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

/// <summary>An instance's drift changed; <see cref="Fields"/> is empty when it is back in line.</summary>
public sealed record DriftDetected(
    string InstanceId, string App, IReadOnlyList<DriftedField> Fields, long Revision, DateTimeOffset OccurredAt) : IInstanceEvent;

public sealed record DriftedField(string Field, string Expected, string Actual, bool ExpectedFromMajority);

/// <summary>
/// One Registry write transaction's instance events, revisions <see cref="FirstRevision"/> to <see cref="LastRevision"/>
/// of the log, about <see cref="InstanceIds"/>. It goes out ahead of the transaction's own event messages, and it is
/// what replicas consume to wake their watchers (who read those events from the log) and drop cached leases: one
/// message a commit, where a release that moves 50 instances' drift publishes 50 event messages.
/// </summary>
public sealed record InstanceEventsCommitted(
    long FirstRevision, long LastRevision, IReadOnlyList<string> InstanceIds, DateTimeOffset OccurredAt);
