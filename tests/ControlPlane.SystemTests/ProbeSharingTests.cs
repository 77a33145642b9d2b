using System.Collections.Concurrent;
using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ControlPlane.SystemTests;

/// <summary>HealthProbe replicas share the targets (rendezvous hashing over the live replicas), as real processes.</summary>
public class ProbeSharingTests
{
    private const int Targets = 30;

    [Fact]
    public async Task TwoThenThreeThenOneProberEachTargetProbedByExactlyOne()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var targets = await TargetServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        };
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", environment);
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        var client = new Api.V1.Registry.RegistryClient(channel);
        await client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana", HealthCheck = new HealthCheckSpec
        {
            Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)), Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(250)), Rise = 1, Fall = 3,
        } } });
        for (var i = 0; i < Targets; i++)
        {
            await client.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"t-{i}", App = "grafana", Address = $"{targets.Url}/t/{i}/", Version = "1.0",
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            });
        }

        ServiceProcess Prober(string id) => ServiceProcess.Start("ControlPlane.HealthProbe.Host", new Dictionary<string, string>(environment)
        {
            ["ControlPlane__InstanceId"] = id,
            ["HealthProbe__RegistryUrl"] = registry.GrpcUrl,
        });
        await using var first = Prober("prober-1");
        await using var second = Prober("prober-2");
        await Task.WhenAll(first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
        await targets.WaitForSteadySharingAsync(["prober-1", "prober-2"]);
        await AWatchOnOneProberGetsTheProbesOfBothAsync(first);

        await using var third = Prober("prober-3");
        await third.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await targets.WaitForSteadySharingAsync(["prober-1", "prober-2", "prober-3"]);

        // Two die without a word (SIGKILL): their leases run out and the survivor takes every target.
        await first.KillAsync();
        await second.KillAsync();
        await targets.WaitForSteadySharingAsync(["prober-3"]);

        using var proberChannel = TestCredentials.Channel(third.GrpcUrl);
        var ready = await new Api.V1.HealthProbe.HealthProbeClient(proberChannel).GetReadySetAsync(new GetReadySetRequest { App = "grafana" });
        Assert.Equal(Targets, ready.Members.Count);
    }

    /// <summary>
    /// WatchHealth with include_probes on one replica: the live probes of every target, those the other replica runs
    /// included (they come over the bus once the watch's interest is announced).
    /// </summary>
    private static async Task AWatchOnOneProberGetsTheProbesOfBothAsync(ServiceProcess prober)
    {
        using var channel = TestCredentials.Channel(prober.GrpcUrl);
        var health = new Api.V1.HealthProbe.HealthProbeClient(channel);
        var revision = (await health.ListHealthAsync(new ListHealthRequest { App = "grafana" })).Revision;
        using var watch = new StreamCollector<HealthEvent>(
            health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = revision, IncludeProbes = true }));
        List<HealthEvent> Probes() => watch.Messages.Where(e => e.Type == HealthEventType.Probed).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Probes().Select(e => e.Probe.InstanceId).Distinct().Count() == Targets),
            TimeSpan.FromSeconds(15), "sent probes of every target", () => $"{Probes().Select(e => e.Probe.InstanceId).Distinct().Count()} targets seen");
        var probes = Probes();
        Assert.Equal(["prober-1", "prober-2"], probes.Select(e => e.Probe.ProberId).Distinct().Order());
        Assert.All(probes, e => Assert.True(e.Probe.Passed));
    }

    /// <summary>Health endpoints for /t/{i}/…, recording which prober (by User-Agent) checked which target.</summary>
    private sealed class TargetServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(DateTime At, string Target, string Prober)> _hits = new();

        private TargetServer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<TargetServer> StartAsync()
        {
            var port = FreePorts.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var server = new TargetServer(app, $"http://127.0.0.1:{port}");
            app.Run(context =>
            {
                var parts = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
                var prober = context.Request.Headers.UserAgent.ToString().Split('/').LastOrDefault() ?? "";
                if (parts.Length >= 2)
                {
                    server._hits.Enqueue((DateTime.UtcNow, parts[1], prober));
                }
                return parts.LastOrDefault() == "health"
                    ? context.Response.WriteAsJsonAsync(new { version = "1.0", database = "ok" })
                    : context.Response.WriteAsync("ok");
            });
            await app.StartAsync();
            return server;
        }

        /// <summary>
        /// Waits until, over a 1.5 s window, every target was probed, each by exactly one prober, and exactly the
        /// given probers took part. Fails with the last window seen.
        /// </summary>
        public async Task WaitForSteadySharingAsync(string[] probers)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
            var last = "";
            while (DateTime.UtcNow < deadline)
            {
                var from = DateTime.UtcNow;
                await Task.Delay(1500);
                var window = _hits.Where(h => h.At >= from).ToList();
                var byTarget = window.GroupBy(h => h.Target).ToDictionary(g => g.Key, g => g.Select(h => h.Prober).Distinct().ToList());
                var used = window.Select(h => h.Prober).Distinct().Order().ToArray();
                var steady = byTarget.Count == Targets && byTarget.Values.All(p => p.Count == 1) && used.SequenceEqual(probers.Order());
                if (steady)
                {
                    return;
                }
                last = $"{byTarget.Count} targets probed, {byTarget.Count(t => t.Value.Count > 1)} by more than one, probers [{string.Join(", ", used)}]";
            }
            throw new TimeoutException($"no steady sharing between [{string.Join(", ", probers)}]: {last}");
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
