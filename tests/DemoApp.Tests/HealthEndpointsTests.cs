using ControlPlane.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace ControlPlane.DemoApp.Tests;

public class HealthEndpointsTests
{
    private static readonly string[] HealthPaths = ["/livez", "/readyz", "/api/health"];

    [Fact]
    public async Task DemoAppIsHealthyByDefaultOnAllThreeEndpoints()
    {
        await using var app = await DemoAppProcess.StartAsync("1.0");

        using var livez = await app.Http.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, livez.StatusCode);
        Assert.Equal("ok", await livez.Content.ReadAsStringAsync());
        using var readyz = await app.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        using var health = await app.Http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(new ApiHealth("1.0", "demo", "ok", $"demo-{app.Port}"), await health.Content.ReadFromJsonAsync<ApiHealth>());

        var page = await app.Http.GetStringAsync("/");
        Assert.Contains($"demo-{app.Port}", page);
        Assert.Contains("version 1.0", page);
    }

    [Fact]
    public async Task ReadinessFaultMakesReadyzAnswer503UntilFaultsAreCleared()
    {
        await using var app = await DemoAppProcess.StartAsync();

        await app.SetFaultsAsync(new { readiness = "fail" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(app, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/livez"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/health"));

        using var cleared = await app.Http.DeleteAsync("/faults");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/readyz"));
        Assert.Equal(new FaultsView("ok", "ok", 0, false), await app.Http.GetFromJsonAsync<FaultsView>("/faults"));
    }

    [Fact]
    public async Task DatabaseDownMakesApiHealthReportFailingWith503AndReadyzFail()
    {
        await using var app = await DemoAppProcess.StartAsync("1.0");

        await app.SetFaultsAsync(new { database = "down" });

        using var health = await app.Http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(new ApiHealth("1.0", "demo", "failing", $"demo-{app.Port}"), await health.Content.ReadFromJsonAsync<ApiHealth>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(app, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/livez"));
    }

    [Fact]
    public async Task DelayMsSlowsEveryHealthEndpointButTheyStillAnswer()
    {
        await using var app = await DemoAppProcess.StartAsync();

        await app.SetFaultsAsync(new { delayMs = 1500 });

        var answers = await Task.WhenAll(HealthPaths.Select(async path =>
        {
            var clock = Stopwatch.StartNew();
            var status = await StatusAsync(app, path);
            return (path, status, clock.Elapsed);
        }));
        foreach (var (path, status, elapsed) in answers)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(1450), $"{path} answered in {elapsed.TotalMilliseconds} ms");
        }
        var faultsClock = Stopwatch.StartNew();
        Assert.Equal(1500, (await app.Http.GetFromJsonAsync<FaultsView>("/faults"))!.DelayMs);
        Assert.True(faultsClock.Elapsed < TimeSpan.FromMilliseconds(1500), "/faults must not be delayed");
    }

    [Fact]
    public async Task HangMakesHealthRequestsTimeOutAtTheClientWhileFaultsStillAnswers()
    {
        await using var app = await DemoAppProcess.StartAsync();

        await app.SetFaultsAsync(new { hang = true });

        foreach (var path in HealthPaths)
        {
            using var clientTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Http.GetAsync(path, clientTimeout.Token));
        }
        Assert.True((await app.Http.GetFromJsonAsync<FaultsView>("/faults"))!.Hang);

        // A request hung when the fault is healed gets its answer.
        var pending = app.Http.GetAsync("/readyz");
        await Task.Delay(500);
        Assert.False(pending.IsCompleted, "/readyz answered while hung");
        await app.SetFaultsAsync(new { hang = false });
        using var answer = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private static async Task<HttpStatusCode> StatusAsync(DemoAppProcess app, string path)
    {
        using var response = await app.Http.GetAsync(path);
        return response.StatusCode;
    }
}
