using System.Diagnostics;
using System.Text;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using RabbitMQ.Client;

namespace ControlPlane.SystemTests;

/// <summary>
/// Agents (real processes, each supervising a real DemoApp) of app "grafana" registered with a running control plane,
/// and rollouts of them started the way tooling does: plain JSON on the queue controlplane.rollouts.start, carrying
/// the sender's W3C traceparent. Probing is fast (250 ms, rise 1, fall 2).
/// </summary>
public sealed class TracedFleet : IAsyncDisposable
{
    public const string App = "grafana";
    private const string StartQueue = "controlplane.rollouts.start";
    private readonly List<AgentProcess> _agents = [];
    private readonly List<GrpcChannel> _channels = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-traced-").FullName;

    private TracedFleet(RabbitMqVhost vhost, string registryUrl, string healthProbeUrl, string rolloutsUrl)
    {
        Vhost = vhost;
        Registry = new Api.V1.Registry.RegistryClient(Channel(registryUrl));
        Health = new Api.V1.HealthProbe.HealthProbeClient(Channel(healthProbeUrl));
        Rollouts = new Api.V1.Rollouts.RolloutsClient(Channel(rolloutsUrl));
        RegistryUrl = registryUrl;
    }

    public RabbitMqVhost Vhost { get; }
    public string RegistryUrl { get; }
    public Api.V1.Registry.RegistryClient Registry { get; }
    public Api.V1.HealthProbe.HealthProbeClient Health { get; }
    public Api.V1.Rollouts.RolloutsClient Rollouts { get; }
    public IReadOnlyList<AgentProcess> Agents => _agents;
    public string Folder => _folder;

    /// <summary>Upserts the app and starts <paramref name="count"/> Agents at 1.0, waiting until each is HEALTHY.</summary>
    public static async Task<TracedFleet> StartAsync(RabbitMqVhost vhost, string registryUrl, string healthProbeUrl, string rolloutsUrl,
        int count, IDictionary<string, string> agentSettings)
    {
        var fleet = new TracedFleet(vhost, registryUrl, healthProbeUrl, rolloutsUrl);
        await fleet.Registry.UpsertAppAsync(FastProbedApp.Upsert(App));
        for (var i = 1; i <= count; i++)
        {
            fleet._agents.Add(AgentProcess.Start(App, $"gf-{i}", "1.0", registryUrl, vhost.ConnectionString, fleet._folder, settings: agentSettings));
        }
        foreach (var agent in fleet._agents)
        {
            await WaitForAsync(() => fleet.IsHealthyAsync(agent.InstanceId, "1.0"), TimeSpan.FromSeconds(120),
                $"{agent.InstanceId} HEALTHY at 1.0", () => agent.Process.Output);
        }
        return fleet;
    }

    /// <summary>
    /// Publishes a start request for <paramref name="version"/> (backup_before) in a new trace of the sender's, given
    /// in the JSON's "traceparent" field or in the AMQP header of that name.
    /// </summary>
    /// <returns>The sender's trace id and span id: the rollout's spans must hang below that span.</returns>
    public async Task<(string TraceId, string SpanId)> PublishStartAsync(string version, bool traceparentInHeader, string requestId)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var spanId = ActivitySpanId.CreateRandom().ToHexString();
        var traceparent = $"00-{traceId}-{spanId}-01";
        var field = traceparentInHeader ? "" : $",\"traceparent\":\"{traceparent}\"";
        var json = $$"""{"app":"{{App}}","version":"{{version}}","max_parallel":1,"min_healthy_seconds":0.2,"backup_before":true,"request_id":"{{requestId}}","initiator":"ci"{{field}}}""";
        // Published as the broker user the suite connects with, which may start rollouts (RabbitMQ checks user_id).
        var user = new Uri(Vhost.ConnectionString).UserInfo.Split(':')[0];
        var properties = new BasicProperties { ContentType = "application/json", MessageId = Guid.NewGuid().ToString(), UserId = user };
        if (traceparentInHeader)
        {
            properties.Headers = new Dictionary<string, object?> { ["traceparent"] = Encoding.UTF8.GetBytes(traceparent) };
        }
        var factory = new ConnectionFactory { Uri = new Uri(Vhost.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(StartQueue, durable: true, exclusive: false, autoDelete: false);
        await channel.BasicPublishAsync("", StartQueue, mandatory: false, properties, Encoding.UTF8.GetBytes(json));
        return (traceId, spanId);
    }

    /// <summary>Waits until the rollout started with <paramref name="requestId"/> is in <paramref name="state"/>.</summary>
    public async Task<Rollout> WaitForRolloutAsync(string requestId, RolloutState state, TimeSpan timeout)
    {
        Rollout? last = null;
        await WaitForAsync(async () =>
        {
            var page = await Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = App, PageSize = 100 });
            last = page.Rollouts.FirstOrDefault(r => r.RequestId == requestId);
            return last?.State == state;
        }, timeout, $"rollout {requestId} {state}", () => last?.ToString() ?? "not started");
        return last!;
    }

    public Task<bool> IsHealthyAsync(string instanceId, string version) =>
        FastProbedApp.IsHealthyAsync(Health, instanceId, version);

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {timeout}: {detail?.Invoke()}");
            }
            await Task.Delay(100);
        }
    }

    private GrpcChannel Channel(string url)
    {
        var channel = TestCredentials.Channel(url);
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing process: the temp folder is left to the OS.
        }
    }
}
