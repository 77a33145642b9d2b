using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace ControlPlane.SystemTests;

/// <summary>AllInOne (every service in one process) stopped the way an orchestrator stops it: SIGTERM.</summary>
public class AllInOneShutdownTests
{
    [Fact]
    public async Task OnSigtermTheProberStopsFollowingTheRegistryInsteadOfWatchingItAgainInALoop()
    {
        var folder = Directory.CreateTempSubdirectory("cp-aio-").FullName;
        try
        {
            await using var host = ServiceProcess.Start("ControlPlane.AllInOne", new Dictionary<string, string>
            {
                ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
            });
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("Following the Registry:", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "HealthProbe following the Registry", () => host.Output);

            var before = host.Output.Length;
            await host.SignalAsync("TERM");

            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            // The Registry in the same process ends its watches when the host begins to stop; the feed must stop too.
            Assert.DoesNotContain("Following the Registry failed", host.Output[before..]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task CtrlCAfterARolloutOfTheDemoFleetStopsWithoutAFailure()
    {
        var folder = Directory.CreateTempSubdirectory("cp-aio-").FullName;
        try
        {
            await using var host = ServiceProcess.Start("ControlPlane.AllInOne", new Dictionary<string, string>
            {
                ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
                ["Demo__FirstPort"] = $"{FreePorts.NextOfThree()}",
                ["Demo__StateFolder"] = Path.Combine(folder, "demo"),
            }, "--demo");
            await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("Demo fleet ready", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(120), "the demo fleet ready", () => host.Output);
            using var channel = TestCredentials.Channel(host.GrpcUrl);
            var rollouts = new Api.V1.Rollouts.RolloutsClient(channel);
            var started = await rollouts.StartRolloutAsync(new StartRolloutRequest { App = "demo", Target = new RolloutTarget { Version = "1.1.0" } });
            Rollout last = started;
            await Eventually.TrueAsync(async () =>
            {
                last = await rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = started.Id });
                return last.State == RolloutState.Succeeded;
            }, TimeSpan.FromSeconds(120), "the rollout SUCCEEDED", () => last.ToString());

            var before = host.Output.Length;
            await host.SignalAsync("INT");   // what Ctrl+C sends

            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            var stopping = host.Output[before..];
            Assert.True(!stopping.Contains("fail:", StringComparison.Ordinal) && !stopping.Contains("crit:", StringComparison.Ordinal),
                $"stopping logged a failure:\n{stopping}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
