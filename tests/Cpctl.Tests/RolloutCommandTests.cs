using ControlPlane.Api.V1;
using static ControlPlane.Cpctl.Tests.CpctlProcess;

namespace ControlPlane.Cpctl.Tests;

/// <summary>`cpctl rollout ...` against a running suite with a real fleet (Agents supervising DemoApps).</summary>
public class RolloutCommandTests
{
    private const string Escape = "\u001b[";

    [Fact]
    public async Task StartStatusAndListAnswerAsTheApiAndWatchInATerminalExitsZeroOnSuccess()
    {
        await using var suite = await CpctlSuite.StartAsync();
        await suite.AddInstancesAsync(2);

        var start = await RunAsync(suite.Address, "rollout", "start", CpctlSuite.App, "--version", "2.0", "--min-healthy", "300ms",
            "--healthy-deadline", "60s", "--max-parallel", "1", "--description", "upgrade", "-o", "json");
        Assert.Equal(0, start.ExitCode);
        var id = start.Node["id"]!.GetValue<string>();
        var started = await suite.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id });
        Assert.Equal("2.0", start.Node["target"]!["version"]!.GetValue<string>());
        Assert.Equal(RolloutTrigger.Cpctl, started.Origin.Trigger);
        Assert.Equal(started.App, start.Node["app"]!.GetValue<string>());

        var watch = await RunInTerminalAsync(suite.Address, "rollout", "watch", id);
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains(Escape, watch.Output);
        Assert.Contains("gf-1", watch.Output);
        Assert.Contains("gf-2", watch.Output);
        Assert.Contains("100%", watch.Output);
        Assert.Contains($"rollout {id} SUCCEEDED", watch.Output);
        Assert.DoesNotContain("exception", watch.Output, StringComparison.OrdinalIgnoreCase);

        var api = await suite.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id });
        Assert.Equal(RolloutState.Succeeded, api.State);
        AssertSameJson(ApiJson(api), (await RunAsync(suite.Address, "rollout", "status", id, "-o", "json")).Node);
        AssertSameJson(ApiJson(api), (await RunAsync(suite.Address, "rollout", "status", "--app", CpctlSuite.App, "-o", "json")).Node);
        var list = await RunAsync(suite.Address, "rollout", "list", "--app", CpctlSuite.App, "-o", "json");
        AssertSameJson(ApiJson(await suite.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = CpctlSuite.App, PageSize = 50 })), list.Node);

        // Piped, the same watch prints plain lines a log keeps, and the same exit code.
        var plain = await RunAsync(suite.Address, "rollout", "watch", id);
        Assert.Equal(0, plain.ExitCode);
        Assert.DoesNotContain(Escape, plain.Output);
        Assert.Contains($"rollout {id} SUCCEEDED", plain.Output);
    }

    [Fact]
    public async Task WatchInATerminalExitsNonZeroWithTheReasonWhenTheRolloutRollsBack()
    {
        await using var suite = await CpctlSuite.StartAsync();
        await suite.AddInstancesAsync(2, faults: "3.0=readiness");

        var start = await RunAsync(suite.Address, "rollout", "start", CpctlSuite.App, "--version", "3.0", "--min-healthy", "300ms",
            "--healthy-deadline", "10s");
        Assert.Equal(0, start.ExitCode);
        var id = start.Output.Trim();

        var watch = await RunInTerminalAsync(suite.Address, "rollout", "watch", id);
        var api = await suite.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id });
        Assert.Equal(RolloutState.RolledBack, api.State);
        Assert.True(watch.ExitCode == 5, watch.ToString());
        Assert.Contains(Escape, watch.Output);
        Assert.Contains($"rollout {id} ROLLED_BACK: {api.Reason}", watch.Output);
        Assert.DoesNotContain("   at ", watch.Output);
    }

    [Fact]
    public async Task PromotePauseResumeAbortAndRollbackSteerTheRolloutAsTheApiReports()
    {
        await using var suite = await CpctlSuite.StartAsync();
        await suite.AddInstancesAsync(2);
        // min-healthy 20 s: the second instance is still waiting when the pause, resume and abort below (three cpctl
        // processes, each taking seconds on a loaded machine) arrive, so the abort finds it running.
        var start = await RunAsync(suite.Address, "rollout", "start", CpctlSuite.App, "--version", "2.0", "--canary", "1", "--min-healthy", "20s",
            "--healthy-deadline", "60s");
        var id = start.Output.Trim();

        var awaiting = await WaitAsync(() => RunAsync(suite.Address, "rollout", "status", id, "-o", "json"),
            r => r.Node["canary"]?["awaitingPromotion"]?.GetValue<bool>() == true, seconds: 90);
        Assert.Equal("ROLLOUT_STATE_PAUSED", awaiting.Node["state"]!.GetValue<string>());
        var refused = await RunAsync(suite.Address, "rollout", "resume", id);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("cpctl: refused:", refused.Errors);

        var promoted = await RunAsync(suite.Address, "rollout", "promote", id, "--initiator", "alice", "-o", "json");
        Assert.Equal(0, promoted.ExitCode);
        Assert.Equal("alice", promoted.Node["canary"]!["promotedBy"]!.GetValue<string>());

        // The second instance needs min-healthy 20 s, so the rollout is still running when paused.
        var paused = await RunAsync(suite.Address, "rollout", "pause", id, "--reason", "checking dashboards", "-o", "json");
        Assert.Equal("ROLLOUT_STATE_PAUSED", paused.Node["state"]!.GetValue<string>());
        Assert.Equal(RolloutState.Paused, (await suite.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id })).State);
        var resumed = await RunAsync(suite.Address, "rollout", "resume", id);
        Assert.Equal(0, resumed.ExitCode);
        Assert.StartsWith($"{id}: RUNNING", resumed.Output);

        var aborted = await RunAsync(suite.Address, "rollout", "abort", id, "--reason", "enough", "-o", "json");
        Assert.Equal("ROLLOUT_STATE_ABORTED", aborted.Node["state"]!.GetValue<string>());
        Assert.Contains("enough", aborted.Node["reason"]!.GetValue<string>());

        var rollback = await RunAsync(suite.Address, "rollout", "rollback", id, "--reason", "back to 1.0");
        Assert.Equal(0, rollback.ExitCode);
        var watch = await RunAsync(suite.Address, "rollout", "watch", id);
        Assert.True(watch.ExitCode == 5, watch.ToString());
        Assert.Contains($"rollout {id} ROLLED_BACK", watch.Errors);
        var api = await suite.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = id });
        Assert.Equal(RolloutState.RolledBack, api.State);
        Assert.Equal(RolloutStepPhase.Reverted, api.Steps.Single(s => s.Canary).Phase);
    }
}
