using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Rollouts.Domain;

/// <summary>Turns the app's instances into steps: canaries first, then batches of max_parallel; instances already at the target are skipped.</summary>
public static class RolloutPlanner
{
    public static (Rollout Rollout, RolloutWork Work) Plan(string id, StartRolloutRequest request, RolloutStrategy strategy,
        IReadOnlyList<Instance> instances, RolloutOrigin origin, DateTime now)
    {
        var rollout = new Rollout
        {
            Id = id,
            App = request.App,
            Target = request.Target.Clone(),
            Strategy = strategy,
            State = RolloutState.Pending,
            Reason = "waiting for a Rollouts replica to pick it up",
            Origin = origin,
            Description = request.Description,
            RequestId = request.RequestId,
            CreatedAt = Timestamp.FromDateTime(now),
        };
        var work = new RolloutWork { LastProgressAt = now };
        var toUpdate = instances.Where(i => !AtTarget(i, rollout.Target)).ToList();
        var canaries = Math.Min(strategy.Canary, toUpdate.Count);
        var maxParallel = Math.Max(1, strategy.MaxParallel);
        var position = 0;
        foreach (var instance in instances)
        {
            var skipped = AtTarget(instance, rollout.Target);
            var step = new RolloutStep
            {
                InstanceId = instance.InstanceId,
                FromVersion = instance.Version,
                ToVersion = rollout.Target.Version.Length > 0 ? rollout.Target.Version : instance.Version,
                FromConfigHash = instance.ConfigHash,
                ToConfigHash = rollout.Target.ConfigHash.Length > 0 ? rollout.Target.ConfigHash : instance.ConfigHash,
                Phase = skipped ? RolloutStepPhase.Skipped : RolloutStepPhase.Pending,
                PhaseChangedAt = Timestamp.FromDateTime(now),
            };
            if (!skipped)
            {
                step.Canary = position < canaries;
                // Canaries fill their own batches, so promotion always starts a fresh batch.
                step.Batch = step.Canary
                    ? position / maxParallel
                    : CeilDiv(canaries, maxParallel) + (position - canaries) / maxParallel;
                position++;
            }
            rollout.Steps.Add(step);
            work.Steps.Add(new StepWork { InstanceId = instance.InstanceId });
        }
        // Canaries first, then by batch; skipped instances last.
        var order = rollout.Steps.Select((s, i) => (s, w: work.Steps[i]))
            .OrderBy(p => p.s.Phase == RolloutStepPhase.Skipped).ThenBy(p => p.s.Batch).ToList();
        rollout.Steps.Clear();
        rollout.Steps.AddRange(order.Select(p => p.s));
        work.Steps = order.Select(p => p.w).ToList();
        if (canaries > 0)
        {
            rollout.Canary = new CanaryProgress { Count = canaries };
        }
        RolloutStates.Count(rollout);
        return (rollout, work);
    }

    private static bool AtTarget(Instance instance, RolloutTarget target) =>
        (target.Version.Length == 0 || target.Version == instance.Version)
        && (target.ConfigHash.Length == 0 || target.ConfigHash == instance.ConfigHash)
        && (!target.PluginsSet || target.Plugins.OrderBy(p => p, StringComparer.Ordinal).SequenceEqual(instance.Plugins.OrderBy(p => p, StringComparer.Ordinal)));

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
