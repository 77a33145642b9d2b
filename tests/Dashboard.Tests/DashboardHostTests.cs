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
        var grpc = suite.AllInOne.GrpcUrl;
        await using var host = ServiceProcess.Start("ControlPlane.Dashboard.Host", new Dictionary<string, string>
        {
            ["Dashboard__RegistryUrl"] = grpc,
            ["Dashboard__HealthProbeUrl"] = grpc,
            ["Dashboard__RolloutsUrl"] = grpc,
            ["Dashboard__BackupsUrl"] = grpc,
        });
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(host.HttpUrl) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/livez")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the dashboard host answering /livez", () => host.Output);

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

        // A browser still following a stream does not hold up a stop (an orchestrator's SIGTERM).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await EventStreamReader.OpenAsync(http, "/dashboard/api/events/health?app=demo", null, timeout.Token);
        Assert.Equal("health", (await stream.NextAsync(timeout.Token)).Type);
        await host.SignalAsync("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

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
