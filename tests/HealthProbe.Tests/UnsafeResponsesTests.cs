using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>Instances that answer in ways a prober must not trust: redirects elsewhere, huge bodies.</summary>
public class UnsafeResponsesTests
{
    [Fact]
    public async Task RedirectsToAnotherHostAreNotFollowedAndAnOversizedBodyIsNotRead()
    {
        var port = FreePorts.Next();
        await using var server = await StartServerAsync(port);
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), rise: 1, fall: 1);
        await fleet.RegisterAsync("grafana", "same-host", $"http://127.0.0.1:{port}/same/");
        await fleet.RegisterAsync("grafana", "other-host", $"http://127.0.0.1:{port}/other/");
        await fleet.RegisterAsync("grafana", "big-body", $"http://127.0.0.1:{port}/big/");

        // A redirect within the instance (same scheme, host and port) is followed, and the sub-path is kept.
        await fleet.WaitForStateAsync("same-host", HealthState.Healthy);

        var other = await fleet.WaitForStateAsync("other-host", HealthState.Unhealthy);
        Assert.Contains("redirect to http://127.0.0.2", other.Reason);
        Assert.Equal(0, server.Hits("/elsewhere"));

        var big = await fleet.WaitForStateAsync("big-body", HealthState.Degraded);
        Assert.Contains("body larger than 65536 bytes", big.Reason);
    }

    private static async Task<TestServer> StartServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new TestServer(app);
        var health = """{"version":"1.0","database":"ok"}""";
        app.Use(async (context, next) =>
        {
            server.Hit(context.Request.Path);
            await next(context);
        });
        app.MapGet("/{instance}/livez", (string instance) => "ok");
        app.MapGet("/same/readyz", () => Results.Redirect("/same/ready-now"));
        app.MapGet("/same/ready-now", () => "ok");
        app.MapGet("/same/api/health", () => Results.Text(health, "application/json"));
        app.MapGet("/other/readyz", () => Results.Redirect($"http://127.0.0.2:{port}/elsewhere"));
        app.MapGet("/other/api/health", () => Results.Text(health, "application/json"));
        app.MapGet("/elsewhere", () => "ok");
        app.MapGet("/big/readyz", () => "ok");
        app.MapGet("/big/api/health", () => Results.Text("{\"version\":\"1.0\",\"padding\":\"" + new string('x', 1 << 20) + "\"}", "application/json"));
        await app.StartAsync();
        return server;
    }

    private sealed class TestServer(WebApplication app) : IAsyncDisposable
    {
        private readonly Dictionary<string, int> _hits = [];

        public void Hit(PathString path)
        {
            lock (_hits)
            {
                _hits[path.Value ?? ""] = _hits.GetValueOrDefault(path.Value ?? "") + 1;
            }
        }

        public int Hits(string path)
        {
            lock (_hits)
            {
                return _hits.GetValueOrDefault(path);
            }
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
