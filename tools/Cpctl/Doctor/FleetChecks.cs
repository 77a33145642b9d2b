using ControlPlane.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.Cpctl.Doctor;

/// <summary>
/// The fleet side of the troubleshooting list, through the gRPC API: are health checks letting each app's instances
/// into its ready set, and do the instances run the same configuration (no drift)?
/// </summary>
public static class FleetChecks
{
    public static async Task<List<Check>> RunAsync(GrpcChannel channel, string address, CancellationToken cancellationToken)
    {
        var registry = new Api.V1.Registry.RegistryClient(channel);
        var health = new Api.V1.HealthProbe.HealthProbeClient(channel);
        var checks = new List<Check>();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var apps = await registry.ListAppsAsync(new ListAppsRequest { PageSize = 1000 }, deadline: deadline, cancellationToken: cancellationToken);
            if (apps.Apps.Count == 0)
            {
                checks.Add(Check.Pass("fleet", "no apps registered yet."));
            }
            foreach (var app in apps.Apps)
            {
                var ready = await health.GetReadySetAsync(new GetReadySetRequest { App = app.Name }, deadline: deadline, cancellationToken: cancellationToken);
                checks.Add(ReadySet(app.Name, ready));
                var fleet = await registry.GetFleetStatusAsync(new GetFleetStatusRequest { App = app.Name }, deadline: deadline, cancellationToken: cancellationToken);
                checks.Add(Drift(fleet));
            }
        }
        catch (RpcException ex)
        {
            checks.Add(Check.Fail("fleet", $"could not read the fleet from {address}: {ex.Status.StatusCode} ({ex.Status.Detail.TrimEnd('.')}). " +
                "Point --address at a replica's gRPC port."));
        }
        return checks;
    }

    private static Check ReadySet(string app, ReadySet set)
    {
        var name = $"{app}: instances ready";
        var total = set.Members.Count + set.Excluded.Count;
        var outside = string.Join("; ", set.Excluded.Select(e => $"{e.InstanceId} ({string.Join(", ", e.Reasons)})"));
        return total switch
        {
            0 => Check.Pass(name, $"no instance of {app} is registered."),
            _ when set.Excluded.Count == 0 => Check.Pass(name, $"all {total} instance(s) of {app} are in the ready set."),
            _ when set.Members.Count == 0 => Check.Fail(name,
                $"no instance of {app} is ready, so a load balancer has nowhere to send traffic: {outside}. Check the instances' health endpoints."),
            _ => Check.Warn(name, $"{set.Members.Count} of {total} instances of {app} are ready; out of rotation: {outside}."),
        };
    }

    private static Check Drift(FleetStatus fleet)
    {
        var name = $"{fleet.App}: configuration in sync";
        if (fleet.DriftedInstances == 0)
        {
            return Check.Pass(name, $"every active instance of {fleet.App} runs the desired version, configuration, plugins and schema.");
        }
        var details = string.Join("; ", fleet.Drift.Select(d =>
            $"{d.InstanceId}: {string.Join(", ", d.Fields.Select(f => $"{Names.Lower(f.Field).Replace("drift field name ", "")} {f.Actual} (expected {f.Expected})"))}"));
        return Check.Warn(name, $"{fleet.DriftedInstances} instance(s) of {fleet.App} drifted: {details}. Roll out the desired state (cpctl rollout start).");
    }
}
