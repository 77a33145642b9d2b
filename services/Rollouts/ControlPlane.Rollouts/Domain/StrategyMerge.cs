using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Api;

namespace ControlPlane.Rollouts.Domain;

public static class StrategyMerge
{
    /// <summary>The request's values over the app's rollout_defaults, field by field, then the suite defaults.</summary>
    public static RolloutStrategy InForce(RolloutStrategy? requested, RolloutStrategy? appDefaults)
    {
        var merged = appDefaults?.Clone() ?? new RolloutStrategy();
        if (requested is { } r)
        {
            if (r.HasMaxParallel) { merged.MaxParallel = r.MaxParallel; }
            if (r.MinHealthyTime is not null) { merged.MinHealthyTime = r.MinHealthyTime; }
            if (r.HealthyDeadline is not null) { merged.HealthyDeadline = r.HealthyDeadline; }
            if (r.ProgressDeadline is not null) { merged.ProgressDeadline = r.ProgressDeadline; }
            if (r.HasAutoRevert) { merged.AutoRevert = r.AutoRevert; }
            if (r.HasCanary) { merged.Canary = r.Canary; }
            if (r.CanaryAutoPromoteAfter is not null) { merged.CanaryAutoPromoteAfter = r.CanaryAutoPromoteAfter; }
            if (r.HasBackupBefore) { merged.BackupBefore = r.BackupBefore; }
        }
        return ApiDefaults.Complete(merged);
    }
}
