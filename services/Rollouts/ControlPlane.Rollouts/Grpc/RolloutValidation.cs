using System.Security.Cryptography;
using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Grpc;

namespace ControlPlane.Rollouts.Grpc;

/// <summary>Request checks; every violation is reported at once as InvalidArgument with BadRequest field violations.</summary>
public static class RolloutValidation
{
    private const int MaxConfigBytes = 1 << 20;

    /// <summary>Validates and completes the target (config_hash computed from config when only config is given).</summary>
    public static void Validate(StartRolloutRequest request)
    {
        var v = new FieldValidator().AppName(request.App, "app");
        var target = request.Target;
        if (target is null)
        {
            v.Add("target", "is required");
        }
        else
        {
            v.MaxLength(target.Version, "target.version", 128)
             .MaxLength(target.ConfigHash, "target.config_hash", 128)
             .Check(target.Config.Length <= MaxConfigBytes, "target.config", "is larger than 1 MiB")
             .Check(target.Version.Length > 0 || target.ConfigHash.Length > 0 || target.Config.Length > 0 || target.PluginsSet,
                "target", "set at least one of version, config_hash/config and plugins");
            if (target.Config.Length > 0)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(target.Config.Span));
                v.Check(target.ConfigHash.Length == 0 || target.ConfigHash == hash, "target.config_hash", "differs from the SHA-256 of target.config");
                target.ConfigHash = hash;
            }
        }
        if (request.Strategy is { } s)
        {
            v.Check(!s.HasMaxParallel || s.MaxParallel >= 0, "strategy.max_parallel", "must not be negative")
             .Check(!s.HasCanary || s.Canary >= 0, "strategy.canary", "must not be negative")
             .Check(s.MinHealthyTime is null || s.MinHealthyTime.ToTimeSpan() >= TimeSpan.Zero, "strategy.min_healthy_time", "must not be negative")
             .Check(s.HealthyDeadline is null || s.HealthyDeadline.ToTimeSpan() > TimeSpan.Zero, "strategy.healthy_deadline", "must be positive")
             .Check(s.ProgressDeadline is null || s.ProgressDeadline.ToTimeSpan() > TimeSpan.Zero, "strategy.progress_deadline", "must be positive")
             .Check(s.CanaryAutoPromoteAfter is null || s.CanaryAutoPromoteAfter.ToTimeSpan() >= TimeSpan.Zero, "strategy.canary_auto_promote_after", "must not be negative");
        }
        for (var i = 0; i < request.InstanceIds.Count; i++)
        {
            v.Identifier(request.InstanceIds[i], $"instance_ids[{i}]");
        }
        v.MaxLength(request.RequestId, "request_id", 128).MaxLength(request.Initiator, "initiator", 256).MaxLength(request.Description, "description", 1024);
        v.ThrowIfInvalid();
    }

    public static void RolloutId(string id) => new FieldValidator().Identifier(id, "rollout_id", 64).ThrowIfInvalid();
}
