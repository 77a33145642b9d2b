using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Targets;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>
/// One round of checks of one instance, per its app's spec. HTTP: readiness and /api/health together, plus
/// liveness while the instance is not passing (to tell "dead" from "alive but not ready"): a healthy
/// instance costs two requests a round.
/// </summary>
public sealed class InstanceProber(HttpProber http, GrpcProber grpc)
{
    public async Task<IReadOnlyList<EndpointCheck>> ProbeAsync(ProbeTarget.Plan plan, CancellationToken cancellationToken)
    {
        var spec = plan.Spec;
        var timeout = spec.Timeout.ToTimeSpan();
        if (spec.Protocol == HealthCheckProtocol.Grpc)
        {
            return [await grpc.CheckAsync(plan.Address, spec.GrpcService, timeout, cancellationToken)];
        }
        var readiness = http.CheckAsync(ProbeEndpointKind.Readiness, Under(plan.BaseUri, spec.ReadinessPath), timeout, parseHealth: false, cancellationToken);
        var health = http.CheckAsync(ProbeEndpointKind.Health, Under(plan.BaseUri, spec.HealthPath), timeout, parseHealth: true, cancellationToken);
        if (!plan.CheckLiveness)
        {
            return [await readiness, await health];
        }
        var liveness = http.CheckAsync(ProbeEndpointKind.Liveness, Under(plan.BaseUri, spec.LivenessPath), timeout, parseHealth: false, cancellationToken);
        return [await liveness, await readiness, await health];
    }

    /// <summary>A check path under the instance's address, so an instance served under a sub-path (/grafana/) keeps it.</summary>
    private static Uri Under(Uri baseUri, string path) => new(baseUri, path.TrimStart('/'));
}
