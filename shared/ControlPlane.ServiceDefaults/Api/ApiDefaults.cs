using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.ServiceDefaults.Api;

/// <summary>
/// Fills what an app leaves unset, so every reader sees the effective health-check and rollout settings.
/// The Registry stores completed specs; other services complete what they got before the Registry answered.
/// </summary>
public static class ApiDefaults
{
    public static HealthCheckSpec Complete(HealthCheckSpec? given)
    {
        var spec = given?.Clone() ?? new HealthCheckSpec();
        if (spec.LivenessPath.Length == 0) { spec.LivenessPath = "/livez"; }
        if (spec.ReadinessPath.Length == 0) { spec.ReadinessPath = "/readyz"; }
        if (spec.HealthPath.Length == 0) { spec.HealthPath = "/api/health"; }
        spec.Interval ??= Duration.FromTimeSpan(TimeSpan.FromSeconds(5));
        spec.Timeout ??= Duration.FromTimeSpan(TimeSpan.FromSeconds(2));
        if (spec.Rise == 0) { spec.Rise = 2; }
        if (spec.Fall == 0) { spec.Fall = 3; }
        if (spec.Protocol == HealthCheckProtocol.Unspecified) { spec.Protocol = HealthCheckProtocol.Http; }
        return spec;
    }

    public static RolloutStrategy Complete(RolloutStrategy? given)
    {
        var strategy = given?.Clone() ?? new RolloutStrategy();
        if (!strategy.HasMaxParallel || strategy.MaxParallel == 0) { strategy.MaxParallel = 1; }
        strategy.MinHealthyTime ??= Duration.FromTimeSpan(TimeSpan.FromSeconds(10));
        strategy.HealthyDeadline ??= Duration.FromTimeSpan(TimeSpan.FromMinutes(5));
        strategy.ProgressDeadline ??= Duration.FromTimeSpan(TimeSpan.FromMinutes(10));
        if (!strategy.HasAutoRevert) { strategy.AutoRevert = true; }
        if (!strategy.HasCanary) { strategy.Canary = 0; }
        if (!strategy.HasBackupBefore) { strategy.BackupBefore = false; }
        return strategy;
    }
}
