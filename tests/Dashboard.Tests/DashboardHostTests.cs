using System.Net;
using System.Text.Json;
using ControlPlane.Testing;

namespace Dashboard.Tests;

/// <summary>The dashboard's own host (for HA), a real process reaching the suite over gRPC at configured addresses.</summary>
[Collection(nameof(DashboardCollection))]
public sealed class DashboardHostTests(DashboardSuite suite)
{
    [Fact]
    public async Task TheDashboardsOwnHostSignsInWithTheSuitesKeysReadsTheFleetOverGrpcAndStopsWithAStreamOpen()
    {
        // Its cookie keys in Redis, as an HA deployment of several replicas keeps them.
        await using var host = StartHost(suite.AllInOne.GrpcUrl, BackingServices.Redis);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(host.HttpUrl) };
        Assert.Equal("Healthy", await http.GetStringAsync("/readyz"));
        Assert.Contains("http_server_request_duration_seconds", await http.GetStringAsync("/metrics"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/api/apps")).StatusCode);
        var wrong = await SignInAsync(http, "cpk_not_a_key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("unknown API key", await wrong.Content.ReadAsStringAsync());

        var signedIn = await SignInAsync(http, TestCredentials.AdminToken);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cp_dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestCredentials.AdminToken, cookie, StringComparison.Ordinal);

        using var apps = JsonDocument.Parse(await http.GetStringAsync("/dashboard/api/apps"));
        var demo = apps.RootElement.GetProperty("apps").EnumerateArray().Single(a => a.GetProperty("app").GetProperty("name").GetString() == "demo");
        Assert.Equal(3, demo.GetProperty("fleet").GetProperty("totalInstances").GetInt32());
        Assert.DoesNotContain(TestCredentials.AdminToken, host.Output, StringComparison.Ordinal);

        // The sign-in made on one replica is good on another (the load balancer may send the next request there).
        await using var second = StartHost(suite.AllInOne.GrpcUrl, BackingServices.Redis);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var onSecond = new HttpRequestMessage(HttpMethod.Get, $"{second.HttpUrl}/dashboard/api/apps");
        onSecond.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await second.Http.SendAsync(onSecond)).StatusCode);

        // Without the Registry no page can be drawn: not ready, and the answer says why.
        await using var orphan = StartHost($"http://127.0.0.1:{FreePorts.Next()}", BackingServices.Redis, others: suite.AllInOne.GrpcUrl);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var ready = await orphan.Http.GetAsync("/readyz");
                return ready.StatusCode == HttpStatusCode.ServiceUnavailable && (await ready.Content.ReadAsStringAsync()).StartsWith("Unhealthy: registry: Unavailable", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "a host without its Registry answering /readyz 503", () => orphan.Output);

        // A browser still following a stream does not hold up a stop (an orchestrator's SIGTERM).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await EventStreamReader.OpenAsync(http, "/dashboard/api/events/health?app=demo", null, timeout.Token);
        Assert.Equal("health", (await stream.NextAsync(timeout.Token)).Type);
        await host.SignalAsync("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    private static ServiceProcess StartHost(string registry, string redis, string? others = null) =>
        ServiceProcess.Start("ControlPlane.Dashboard.Host", new Dictionary<string, string>
        {
            ["Dashboard__RegistryUrl"] = registry,
            ["Dashboard__HealthProbeUrl"] = others ?? registry,
            ["Dashboard__RolloutsUrl"] = others ?? registry,
            ["Dashboard__BackupsUrl"] = others ?? registry,
            ["ConnectionStrings__Redis"] = redis,
        });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/login")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Dashboard-Request", "1");
        return http.SendAsync(request);
    }
}
