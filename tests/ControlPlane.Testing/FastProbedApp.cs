using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;

namespace ControlPlane.Testing;

/// <summary>The app the suite-level test fleets run: fast probing (250 ms, rise 1, fall 2) so rollouts take seconds.</summary>
public static class FastProbedApp
{
    public static UpsertAppRequest Upsert(string name) => new()
    {
        App = new App
        {
            Name = name,
            HealthCheck = new HealthCheckSpec
            {
                Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(250)),
                Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)),
                Rise = 1,
                Fall = 2,
            },
        },
    };

    /// <summary>HealthProbe sees the instance HEALTHY and reporting <paramref name="version"/> (false while it is unknown).</summary>
    public static async Task<bool> IsHealthyAsync(HealthProbeClient health, string instanceId, string version)
    {
        try
        {
            var state = await health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = instanceId });
            return state.State == HealthState.Healthy && state.ReportedVersion == version;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }
}
