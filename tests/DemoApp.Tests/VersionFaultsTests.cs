using System.Net;
using System.Net.Http.Json;
using ControlPlane.Testing;

namespace ControlPlane.DemoApp.Tests;

public class VersionFaultsTests
{
    private const string Spec = "3.0=readiness;2.1=exit:3;2.2=database;2.3=delay:1500;2.4=hang";

    [Fact]
    public async Task AVersionListedWithExitCrashesWithThatCodeSoonAfterStart()
    {
        var port = FreePorts.Next();
        await using var app = DemoAppProcess.Start(["--version", "2.1", "--port", $"{port}", "--faults-by-version", Spec], new Dictionary<string, string>(), port);

        Assert.Equal(3, await app.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Exiting with code 3", app.Output);
    }

    [Fact]
    public async Task AVersionListedWithReadinessStartsAliveButNotReady()
    {
        await using var app = await DemoAppProcess.StartAsync("3.0", "--faults-by-version", Spec);

        using var readyz = await app.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Equal("fail", (await app.Http.GetFromJsonAsync<FaultsView>("/faults"))!.Readiness);
    }

    [Fact]
    public async Task AVersionNotListedStartsWithoutFaults()
    {
        await using var app = await DemoAppProcess.StartAsync("1.0", "--faults-by-version", Spec);

        using var readyz = await app.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal(new FaultsView("ok", "ok", 0, false), await app.Http.GetFromJsonAsync<FaultsView>("/faults"));
    }

    [Fact]
    public async Task FaultsByVersionAlsoComesFromTheEnvironment()
    {
        var port = FreePorts.Next();
        await using var app = DemoAppProcess.Start(
            ["--version", "2.2", "--port", $"{port}"], new Dictionary<string, string> { ["DEMOAPP_FAULTS_BY_VERSION"] = Spec }, port);
        await app.WaitUntilLiveAsync();

        using var health = await app.Http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("failing", (await health.Content.ReadFromJsonAsync<ApiHealth>())!.Database);
    }

    [Fact]
    public async Task AnInvalidFaultsByVersionStopsDemoAppAtStartWithTheReason()
    {
        var port = FreePorts.Next();
        await using var app = DemoAppProcess.Start(["--port", $"{port}", "--faults-by-version", "3.0=explode"], new Dictionary<string, string>(), port);

        Assert.Equal(2, await app.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("unknown fault \"explode\"", app.Output);
    }
}
