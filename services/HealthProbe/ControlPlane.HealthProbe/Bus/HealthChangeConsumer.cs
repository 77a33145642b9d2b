using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.HealthProbe.Data;
using ControlPlane.HealthProbe.State;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.HealthProbe.Bus;

/// <summary>
/// Every prober replica, on a queue of its own: another replica's health transition. Its verdict becomes this
/// replica's view of that instance, and local watchers are woken (the event is already in the shared log).
/// Idempotent: an event at or below the known revision changes nothing. Also the live probes of the other replicas
/// and their watchers' interest in them (<see cref="ProbeFeed"/>).
/// </summary>
public sealed class HealthChangeConsumer(HealthMonitor monitor, ChangeNotifier<HealthProbeDbContext> changes, ProbeFeed probes)
    : IConsumer<InstanceHealthChanged>, IConsumer<HealthProbesObserved>, IConsumer<HealthProbeInterest>
{
    public const string EndpointName = "healthprobe-changes";

    public Task Consume(ConsumeContext<InstanceHealthChanged> context)
    {
        var change = context.Message;
        if (change.ProberId != monitor.ProberId && Enum.TryParse<HealthState>(change.State, out var state))
        {
            monitor.ApplyRemote(change.InstanceId, state, change.Reason, change.ReportedVersion, change.Revision, change.OccurredAt.UtcDateTime);
        }
        changes.Notify(change.Revision);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<HealthProbesObserved> context)
    {
        probes.Receive(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<HealthProbeInterest> context)
    {
        probes.Receive(context.Message);
        return Task.CompletedTask;
    }
}
