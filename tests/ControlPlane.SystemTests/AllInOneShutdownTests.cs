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
}
