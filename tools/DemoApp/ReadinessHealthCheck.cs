using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.DemoApp;

/// <summary>What grpc.health.v1 reports: NOT_SERVING whenever /readyz would answer 503.</summary>
internal sealed class ReadinessHealthCheck(FaultState faults) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(faults.Current.NotReadyReason is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy());
}
