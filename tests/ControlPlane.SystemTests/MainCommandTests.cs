using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>Runs alone: `dotnet run` builds AllInOne (Debug) first, which would slow the timing of other tests.</summary>
[CollectionDefinition(nameof(MainCommandCollection), DisableParallelization = true)]
public sealed class MainCommandCollection;

/// <summary>README's first command, run as written from the repository root, and the plain control plane.</summary>
[Collection(nameof(MainCommandCollection))]
public class MainCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheFirstReadmeCommandBringsUpADemoFleetThatRollsOutAndRollsBack()
    {
        var command = FirstReadmeCommand();
        Assert.Equal("dotnet run --project services/AllInOne -- --demo", command);
        await BuildOnceAsync();
        var folder = InProcessHost.NewFolder();
        var firstPort = FreePorts.NextOfThree();
        await using var suite = ServiceProcess.StartShell(command, RepoPaths.Root, new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
            ["Demo__FirstPort"] = $"{firstPort}",
            ["Demo__StateFolder"] = Path.Combine(folder, "demo"),
            ["XDG_CONFIG_HOME"] = Path.Combine(folder, "config"),
        });
        try
        {
            var clock = Stopwatch.StartNew();
            using var channel = await EmbeddedAdminChannelAsync(suite, folder);
            output.WriteLine($"gRPC answered {clock.Elapsed.TotalSeconds:F1} s after the command started (build already done)");
            Assert.Contains($"gRPC    {suite.GrpcUrl}", suite.Output);
            await Eventually.TrueAsync(() => Task.FromResult(suite.Output.Contains("Demo fleet ready", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(90), "printing that the demo fleet is ready", () => suite.Output);
            output.WriteLine($"demo fleet ready after {clock.Elapsed.TotalSeconds:F1} s");

            var rollouts = new Api.V1.Rollouts.RolloutsClient(channel);
            var good = await RollOutAsync(rollouts, "1.1.0", RolloutState.Succeeded);
            Assert.All(good.Steps, step => Assert.Equal(RolloutStepPhase.Done, step.Phase));
            var registry = new Api.V1.Registry.RegistryClient(channel);
            var instances = await registry.ListInstancesAsync(new ListInstancesRequest { App = "demo" });
            Assert.Equal(["1.1.0", "1.1.0", "1.1.0"], instances.Instances.Select(i => i.Version));

            // The advertised broken version stops at its first instance and is reverted.
            var bad = await RollOutAsync(rollouts, "2.0.0", RolloutState.RolledBack);
            output.WriteLine($"2.0.0: {bad.Reason}");
            instances = await registry.ListInstancesAsync(new ListInstancesRequest { App = "demo" });
            Assert.All(instances.Instances, i => Assert.Equal("1.1.0", i.Version));
        }
        finally
        {
            output.WriteLine(Tail(suite.Output));
        }
    }

    [Fact]
    public async Task WithoutTheDemoSwitchItIsAPlainControlPlane()
    {
        await BuildOnceAsync();
        var folder = InProcessHost.NewFolder();
        await using var suite = ServiceProcess.StartShell("dotnet run --project services/AllInOne", RepoPaths.Root, new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
            ["XDG_CONFIG_HOME"] = Path.Combine(folder, "config"),
        });
        using var channel = await EmbeddedAdminChannelAsync(suite, folder);
        await suite.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        // Without a credential nothing is answered; the pointer for cpctl names the key's file, not the key.
        using var anonymous = TestCredentials.Anonymous(suite.GrpcUrl);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => new Api.V1.Registry.RegistryClient(anonymous).ListAppsAsync(new ListAppsRequest()).ResponseAsync);
        var pointer = Path.Combine(folder, "config", "controlplane", "local-tokens", $"127.0.0.1_{new Uri(suite.GrpcUrl).Port}");
        Assert.Equal(Path.Combine(folder, "admin.token"), File.ReadAllText(pointer).Trim());

        var apps = await new Api.V1.Registry.RegistryClient(channel).ListAppsAsync(new ListAppsRequest());
        Assert.Empty(apps.Apps);
        Assert.DoesNotContain("Demo fleet", suite.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The embedded default's first start prints an admin key once and writes it, readable by its owner only, beside
    /// its database: a channel with that key.
    /// </summary>
    private static async Task<GrpcChannel> EmbeddedAdminChannelAsync(ServiceProcess suite, string folder)
    {
        var file = Path.Combine(folder, "admin.token");
        using (var probe = TestCredentials.Anonymous(suite.GrpcUrl))
        {
            // Every service's migrations on one SQLite file first: on a loaded 2-core machine that took over 60 s once.
            await Eventually.TrueAsync(() => ServingAsync(probe), TimeSpan.FromSeconds(120), "answering gRPC health", () => suite.Output);
        }
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(file) && suite.Output.Contains("Admin API key", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "writing and printing the admin key", () => suite.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var token = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Contains(token, suite.Output, StringComparison.Ordinal);
        return TestCredentials.Channel(suite.GrpcUrl, token);
    }

    private static async Task<Rollout> RollOutAsync(Api.V1.Rollouts.RolloutsClient rollouts, string version, RolloutState expected)
    {
        var started = await rollouts.StartRolloutAsync(new StartRolloutRequest
        {
            App = "demo",
            Target = new RolloutTarget { Version = version },
            Initiator = "readme-test",
        });
        Rollout last = started;
        var ended = new[] { RolloutState.Succeeded, RolloutState.Failed, RolloutState.RolledBack, RolloutState.Aborted };
        await Eventually.TrueAsync(async () =>
        {
            last = await rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = started.Id });
            return ended.Contains(last.State);
        }, TimeSpan.FromSeconds(120), $"rollout to {version} ended", () => last.ToString());
        Assert.True(last.State == expected, $"expected {expected}: {last}");
        return last;
    }

    private static async Task<bool> ServingAsync(GrpcChannel channel)
    {
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    /// <summary>The first command of README's first shell block (comments skipped).</summary>
    private static string FirstReadmeCommand()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var block = Array.FindIndex(lines, l => l.Trim() == "```bash");
        Assert.True(block >= 0, "README.md has no ```bash block");
        return lines.Skip(block + 1).Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#'));
    }

    /// <summary>
    /// `dotnet run` builds the Debug configuration, which scripts/test (Release) has not: build it once beforehand so the
    /// minute the command is given to come up measures starting, not compiling.
    /// </summary>
    private static async Task BuildOnceAsync()
    {
        var start = new ProcessStartInfo("dotnet", "build services/AllInOne -v quiet -nologo")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(start)!;
        var text = await build.StandardOutput.ReadToEndAsync() + await build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.True(build.ExitCode == 0, text);
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
