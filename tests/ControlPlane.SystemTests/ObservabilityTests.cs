using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.SystemTests;

/// <summary>Traces to an OTLP receiver and metrics on /metrics, from Registry and HealthProbe as real processes.</summary>
public class ObservabilityTests
{
    [Fact]
    public async Task OneTraceCrossesGrpcAndTheBusFromRegistryToHealthProbeAndCarriesNoSecret()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var connection = await TestSecrets.RoleAsync(database);
        var environment = new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = connection,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
            ["ConnectionStrings__Redis"] = BackingServices.Redis,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", environment);
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await using var prober = ServiceProcess.Start("ControlPlane.HealthProbe.Host",
            new Dictionary<string, string>(environment) { ["HealthProbe__RegistryUrl"] = registry.GrpcUrl });
        await prober.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(1));

        // A lease heartbeat is never traced, even when its caller's trace is sampled: thousands a second.
        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        var registryClient = new Api.V1.Registry.RegistryClient(channel);
        var heartbeatTrace = ActivityTraceId.CreateRandom().ToHexString();
        await registryClient.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "heartbeats" } });
        var lease = await registryClient.RegisterInstanceAsync(new RegisterInstanceRequest { InstanceId = "hb-1", App = "heartbeats", Address = "http://127.0.0.1:9", Version = "1.0" });
        await registryClient.HeartbeatAsync(new HeartbeatRequest { InstanceId = "hb-1", LeaseId = lease.LeaseId },
            new Metadata { { "traceparent", $"00-{heartbeatTrace}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } });

        // The caller's own trace: everything the upsert causes must join it.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();
        await registryClient.UpsertAppAsync(
            new UpsertAppRequest { App = new App { Name = "grafana", HealthCheck = new HealthCheckSpec { Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) } } },
            new Metadata { { "traceparent", $"00-{traceId}-{callerSpan}-01" } });

        // Registry → outbox → RabbitMQ → HealthProbe's AppUpserted consumer → gRPC GetApp → Registry. Spans are
        // exported in batches by two processes, in any order: wait until GetApp's chain of parents reaches the upsert.
        var spans = await receiver.WaitAsync(all => ChainToRoot(all, traceId) is [.., { } root] && root.ParentSpanId == callerSpan,
            TimeSpan.FromSeconds(30));
        var trace = spans.Where(s => s.TraceId == traceId).ToList();

        var upsert = Assert.Single(trace, s => s.Service == "registry" && s.Kind == 2 && s.Name.Contains("UpsertApp"));
        Assert.Equal(callerSpan, upsert.ParentSpanId);
        // GetApp's server span descends, through HealthProbe's spans, from the outbox publish of the upsert.
        var chain = ChainToRoot(spans, traceId)!;
        Assert.Contains(chain, s => s.Service == "healthprobe" && s.Kind == 5);
        Assert.Contains(chain, s => s.Service == "registry" && s.Name.StartsWith("outbox publish AppUpserted", StringComparison.Ordinal));
        Assert.Equal(upsert, chain[^1]);
        Assert.DoesNotContain(spans, s => s.TraceId == heartbeatTrace);

        // The upsert dropped the app's cached copy in Redis: that command is a span of the same trace, under the upsert
        // (HealthProbe's GetApp that followed read the cache: its spans are in the trace too, under GetApp).
        bool IsCacheDrop(ReceivedSpan s) => s.TraceId == traceId && s.ParentSpanId == upsert.SpanId && s.Attributes.GetValueOrDefault("db.system") == "redis";
        var cacheDrop = (await receiver.WaitAsync(all => all.Any(IsCacheDrop), TimeSpan.FromSeconds(30))).First(IsCacheDrop);
        Assert.Equal("registry", cacheDrop.Service);

        // No span, and no log line, carries the database password.
        Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v => v.Contains(TestSecrets.Password, StringComparison.Ordinal)));
        Assert.DoesNotContain(TestSecrets.Password, registry.Output + prober.Output);
    }

    [Fact]
    public async Task MetricsShowEachInstancesHealthAndTheReadySetSize()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__ControlPlane"] = database.ConnectionString };
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", environment);
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await using var prober = ServiceProcess.Start("ControlPlane.HealthProbe.Host",
            new Dictionary<string, string>(environment) { ["HealthProbe__RegistryUrl"] = registry.GrpcUrl });
        await prober.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await using var demo = await DemoAppProcess.StartAsync();
        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        var client = new Api.V1.Registry.RegistryClient(channel);
        await client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana", HealthCheck = new HealthCheckSpec
        {
            Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)), Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(250)), Rise = 1, Fall = 2,
        } } });
        // A long lease: nothing heartbeats here, and a loaded machine must not see the lease expire mid-test.
        await client.RegisterInstanceAsync(new RegisterInstanceRequest
        {
            InstanceId = "g-1", App = "grafana", Address = demo.Address, Version = "1.0", LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
        });

        // Each gauge is read at its own instant of a scrape, so a transition can fall between two of them: wait until
        // both agree rather than read one right after the other moved.
        var healthy = await PrometheusScrape.UntilAsync(prober, m => PrometheusScrape.Value(m, "controlplane_readyset_size", "app=\"grafana\"") == 1
            && PrometheusScrape.Value(m, "controlplane_fleet_instances", "state=\"healthy\"") == 1, TimeSpan.FromSeconds(60));
        Assert.True(PrometheusScrape.Value(healthy, "controlplane_probe_rounds_total", "verdict=\"pass\"") >= 1);
        Assert.True(PrometheusScrape.Value(healthy, "controlplane_probe_latency", "instance=\"g-1\"") > 0);

        await demo.KillAsync();
        var down = await PrometheusScrape.UntilAsync(prober, m => PrometheusScrape.Value(m, "controlplane_readyset_size", "app=\"grafana\"") == 0
            && PrometheusScrape.Value(m, "controlplane_fleet_instances", "state=\"unhealthy\"") == 1, TimeSpan.FromSeconds(60));
        Assert.Equal(0, PrometheusScrape.Value(down, "controlplane_fleet_instances", "state=\"healthy\""));
        Assert.True(PrometheusScrape.Value(down, "controlplane_probe_failures_total", "instance=\"g-1\"") >= 2);
        Assert.True(PrometheusScrape.Value(down, "http_server_request_duration_seconds_count", "") > 0);
    }

    [Fact]
    public async Task JsonLogsAreOneObjectALineAndCarryTheTraceAndSpanIds()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ControlPlane__LogFormat"] = "json",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        await new Api.V1.Registry.RegistryClient(channel).ListAppsAsync(new ListAppsRequest(),
            new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!registry.Output.Contains(traceId, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var lines = registry.Output.Split('\n').Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var documents = lines.Select(l => System.Text.Json.JsonDocument.Parse(l)).ToList();
        var request = documents.First(d => d.RootElement.GetRawText().Contains(traceId, StringComparison.Ordinal));
        var scope = request.RootElement.GetProperty("Scopes").EnumerateArray().First(s => s.TryGetProperty("TraceId", out _));
        Assert.Equal(traceId, scope.GetProperty("TraceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", scope.GetProperty("SpanId").GetString());
        Assert.Equal("Information", request.RootElement.GetProperty("LogLevel").GetString());
    }

    /// <summary>The parents of the trace's Registry GetApp server span, nearest first (null before it arrives).</summary>
    private static List<ReceivedSpan>? ChainToRoot(IReadOnlyList<ReceivedSpan> spans, string traceId)
    {
        var trace = spans.Where(s => s.TraceId == traceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var span = trace.Values.FirstOrDefault(s => s.Service == "registry" && s.Kind == 2 && s.Name.Contains("GetApp"));
        if (span is null)
        {
            return null;
        }
        var chain = new List<ReceivedSpan>();
        while (trace.TryGetValue(span.ParentSpanId, out var parent))
        {
            chain.Add(parent);
            span = parent;
        }
        return chain;
    }
}
