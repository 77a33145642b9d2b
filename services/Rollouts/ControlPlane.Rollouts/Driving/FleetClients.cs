using ControlPlane.Api.V1;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Rollouts.Driving;

/// <summary>The services a rollout drives, reached only through their gRPC APIs (DESIGN §3), each call with a deadline.</summary>
public sealed class FleetClients(RegistryClient registry, HealthProbeClient health, BackupsClient backups)
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(10);

    public RegistryClient Registry => registry;
    public BackupsClient Backups => backups;

    public async Task<App> GetAppAsync(string app, CancellationToken cancellationToken) =>
        await registry.GetAppAsync(new GetAppRequest { Name = app }, deadline: Deadline, cancellationToken: cancellationToken);

    public async Task<List<Instance>> ListInstancesAsync(string app, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var all = new List<Instance>();
        var request = new ListInstancesRequest { App = app, PageSize = 1000 };
        request.LabelSelector.Add(labels);
        do
        {
            var page = await registry.ListInstancesAsync(request, deadline: Deadline, cancellationToken: cancellationToken);
            all.AddRange(page.Instances);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }

    public async Task SetDrainAsync(string instanceId, bool draining, string reason, CancellationToken cancellationToken) =>
        await registry.SetDrainAsync(new SetDrainRequest { InstanceId = instanceId, Draining = draining, Reason = reason },
            deadline: Deadline, cancellationToken: cancellationToken);

    public async Task<InstanceHealth> GetHealthAsync(string instanceId, CancellationToken cancellationToken) =>
        await health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = instanceId }, deadline: Deadline, cancellationToken: cancellationToken);

    /// <summary>Asks for a probe now rather than at the next interval: shortens each step by up to one probe interval.</summary>
    public async Task ProbeNowAsync(string instanceId, CancellationToken cancellationToken)
    {
        var request = new ProbeNowRequest();
        request.InstanceIds.Add(instanceId);
        await health.ProbeNowAsync(request, deadline: Deadline, cancellationToken: cancellationToken);
    }
}
