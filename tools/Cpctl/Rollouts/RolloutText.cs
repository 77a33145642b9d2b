using ControlPlane.Api.V1;
using Spectre.Console;

namespace ControlPlane.Cpctl.Rollouts;

/// <summary>How rollouts, their steps and their outcome read on a terminal.</summary>
public static class RolloutText
{
    public static bool IsFinished(RolloutState state) =>
        state is RolloutState.Succeeded or RolloutState.Failed or RolloutState.RolledBack or RolloutState.Aborted;

    public static string Target(RolloutTarget target)
    {
        var parts = new List<string>();
        if (target.Version.Length > 0)
        {
            parts.Add($"version {target.Version}");
        }
        if (target.ConfigHash.Length > 0)
        {
            parts.Add($"config {target.ConfigHash}");
        }
        if (target.PluginsSet)
        {
            parts.Add($"plugins [{string.Join(", ", target.Plugins)}]");
        }
        return string.Join(", ", parts);
    }

    public static string Progress(RolloutProgress? p) => p is null ? "" :
        $"{p.Done}/{p.Total} done, {p.InProgress} in progress, {p.Failed} failed, {p.Reverted} reverted, {p.Skipped} skipped";

    /// <summary>One line for the end of a rollout: what happened and, when it went wrong, why.</summary>
    public static string Outcome(Rollout rollout) =>
        $"rollout {rollout.Id} {Names.Upper(rollout.State)}" + (rollout.Reason.Length > 0 ? $": {rollout.Reason}" : "") +
        $" ({Progress(rollout.Progress)})";

    /// <summary>How far a step is, as a share of its walk drain → apply → healthy → verify → undrain.</summary>
    public static double Percent(RolloutStepPhase phase) => phase switch
    {
        RolloutStepPhase.Draining => 10,
        RolloutStepPhase.Applying => 30,
        RolloutStepPhase.WaitingHealthy => 55,
        RolloutStepPhase.Verifying => 80,
        RolloutStepPhase.Undraining => 90,
        RolloutStepPhase.Done or RolloutStepPhase.Skipped or RolloutStepPhase.Reverted => 100,
        RolloutStepPhase.Reverting => 50,
        _ => 0,
    };

    public static string Colour(RolloutStepPhase phase) => phase switch
    {
        RolloutStepPhase.Done => $"[green]{Names.Lower(phase)}[/]",
        RolloutStepPhase.Failed => $"[red]{Names.Lower(phase)}[/]",
        RolloutStepPhase.Reverting or RolloutStepPhase.Reverted => $"[yellow]{Names.Lower(phase)}[/]",
        _ => Names.Lower(phase),
    };

    public static string Colour(RolloutState state) => state switch
    {
        RolloutState.Succeeded => $"[green]{Names.Upper(state)}[/]",
        RolloutState.Failed or RolloutState.RolledBack or RolloutState.Aborted => $"[red]{Names.Upper(state)}[/]",
        RolloutState.Paused => $"[yellow]{Names.Upper(state)}[/]",
        _ => Names.Upper(state),
    };

    public static void RenderDetail(Rollout rollout)
    {
        var table = Cli.Table("FIELD", "VALUE");
        table.AddRow("rollout", Cli.Escape(rollout.Id));
        table.AddRow("app", Cli.Escape(rollout.App));
        table.AddRow("target", Cli.Escape(Target(rollout.Target)));
        table.AddRow("state", Colour(rollout.State) + (rollout.Reverting ? " (reverting)" : ""));
        table.AddRow("reason", Cli.Escape(rollout.Reason));
        table.AddRow("progress", Cli.Escape(Progress(rollout.Progress)));
        var s = rollout.Strategy;
        if (s is not null)
        {
            table.AddRow("strategy", Cli.Escape($"max_parallel {s.MaxParallel}, canary {s.Canary}, min_healthy {Durations.Format(s.MinHealthyTime)}, " +
                $"healthy_deadline {Durations.Format(s.HealthyDeadline)}, auto_revert {s.AutoRevert}, backup_before {s.BackupBefore}"));
        }
        if (rollout.Canary is { } canary)
        {
            table.AddRow("canary", Cli.Escape($"{canary.Done}/{canary.Count} done" + (canary.AwaitingPromotion ? ", awaiting promotion" : "") +
                (canary.PromotedBy.Length > 0 ? $", promoted by {canary.PromotedBy}" : "")));
        }
        if (rollout.BackupId.Length > 0)
        {
            table.AddRow("backup", Cli.Escape(rollout.BackupId));
        }
        table.AddRow("origin", Cli.Escape($"{Names.Lower(rollout.Origin?.Trigger ?? RolloutTrigger.Unspecified)} by {rollout.Origin?.Initiator}, trace {rollout.Origin?.TraceId}"));
        Cli.Render(table);
        RenderSteps(rollout.Steps);
    }

    public static void RenderSteps(IEnumerable<RolloutStep> steps)
    {
        var table = Cli.Table("INSTANCE", "BATCH", "FROM", "TO", "PHASE", "ATTEMPTS", "ERROR");
        foreach (var step in steps)
        {
            table.AddRow(Cli.Escape(step.InstanceId) + (step.Canary ? " (canary)" : ""), $"{step.Batch}", Cli.Escape(step.FromVersion),
                Cli.Escape(step.ToVersion), Colour(step.Phase), $"{step.Attempts}", Cli.Escape(step.Error));
        }
        Cli.Render(table);
    }
}
