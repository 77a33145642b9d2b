using ControlPlane.Api.V1;
using Spectre.Console;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Cpctl.Rollouts;

/// <summary>
/// `rollout watch`: a live progress bar per instance on a terminal, one line per event otherwise (or JSON lines),
/// and the exit code scripts rely on: 0 when the rollout SUCCEEDED, <see cref="Cli.OperationFailed"/> otherwise.
/// </summary>
public static class RolloutWatch
{
    public static async Task<int> RunAsync(RolloutsClient client, string rolloutId, bool json, CancellationToken cancellationToken)
    {
        // Asked first so an unknown id is a NotFound in words (exit 3), not a watch that waits forever.
        await client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, cancellationToken: cancellationToken);
        var follower = new RolloutFollower(client, rolloutId);
        Rollout final;
        if (json)
        {
            final = await follower.FollowAsync(Cli.Json, cancellationToken);
        }
        else if (Cli.IsLiveTerminal)
        {
            final = await AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(ctx => follower.FollowAsync(new LiveBars(ctx).Update, cancellationToken));
        }
        else
        {
            final = await follower.FollowAsync(PrintLine, cancellationToken);
        }
        if (final.State == RolloutState.Succeeded)
        {
            if (!json)
            {
                Console.WriteLine(RolloutText.Outcome(final));
            }
            return Cli.Ok;
        }
        return Cli.Error(RolloutText.Outcome(final), Cli.OperationFailed);
    }

    private static void PrintLine(RolloutEvent change)
    {
        var time = change.OccurredAt?.ToDateTime().ToLocalTime().ToString("HH:mm:ss") ?? "";
        var what = change.Type switch
        {
            RolloutEventType.Snapshot => $"{change.Rollout.Id} {Names.Upper(change.Rollout.State)} {RolloutText.Progress(change.Rollout.Progress)}",
            RolloutEventType.StepChanged when change.Step is { } step =>
                $"{step.InstanceId}: {Names.Lower(change.PreviousPhase)} -> {Names.Lower(step.Phase)}" + (step.Error.Length > 0 ? $" ({step.Error})" : ""),
            RolloutEventType.StateChanged =>
                $"{change.Rollout.Id}: {Names.Upper(change.PreviousState)} -> {Names.Upper(change.Rollout.State)}" +
                (change.Rollout.Reason.Length > 0 ? $" ({change.Rollout.Reason})" : ""),
            _ => change.Message.Length > 0 ? change.Message : Names.Lower(change.Type),
        };
        Console.WriteLine($"{time} {what}");
    }

    /// <summary>One bar for the rollout as a whole, then one per instance, in plan order.</summary>
    private sealed class LiveBars(ProgressContext context)
    {
        private readonly Dictionary<string, ProgressTask> _steps = new(StringComparer.Ordinal);
        private ProgressTask? _overall;

        public void Update(RolloutEvent change)
        {
            var rollout = change.Rollout;
            _overall ??= context.AddTask(Cli.Escape(rollout.Id), maxValue: Math.Max(1, rollout.Progress?.Total ?? 1));
            var p = rollout.Progress;
            _overall.MaxValue = Math.Max(1, p?.Total ?? 1);
            _overall.Value = p is null ? 0 : p.Done + p.Skipped + p.Reverted + p.Failed;
            _overall.Description = $"[bold]{Cli.Escape(rollout.Id)}[/] {Cli.Escape(rollout.App)} -> {Cli.Escape(RolloutText.Target(rollout.Target))} " +
                RolloutText.Colour(rollout.State) + (rollout.Reason.Length > 0 ? $" [grey]{Cli.Escape(rollout.Reason)}[/]" : "");
            foreach (var step in rollout.Steps)
            {
                Show(step);
            }
            if (change.Step is { } changed)
            {
                Show(changed);
            }
            if (RolloutText.IsFinished(rollout.State))
            {
                context.Refresh();
            }
        }

        private void Show(RolloutStep step)
        {
            if (!_steps.TryGetValue(step.InstanceId, out var task))
            {
                task = context.AddTask(Cli.Escape(step.InstanceId), maxValue: 100);
                _steps[step.InstanceId] = task;
            }
            if (step.Phase != RolloutStepPhase.Failed)
            {
                // A failed step keeps the bar where it stopped: how far it got is the useful part.
                task.Value = RolloutText.Percent(step.Phase);
            }
            task.Description = $"  {Cli.Escape(step.InstanceId)}{(step.Canary ? " (canary)" : "")} {RolloutText.Colour(step.Phase)}" +
                (step.Error.Length > 0 ? $" [red]{Cli.Escape(step.Error)}[/]" : "");
        }
    }
}
