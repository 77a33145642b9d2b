using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>
/// Registry and HealthProbe in one host (as AllInOne composes them) on a fresh SQLite database, probing
/// real DemoApp processes. Disposing stops the host and kills every DemoApp it started.
/// </summary>
public sealed class ProbedFleet : IAsyncDisposable
{
    private readonly List<DemoAppProcess> _apps = [];

    private ProbedFleet(InProcessHost host)
    {
        Host = host;
        Registry = new RegistryClient(host.Channel);
        Health = new HealthProbeClient(host.Channel);
    }

    public InProcessHost Host { get; }
    public RegistryClient Registry { get; }
    public HealthProbeClient Health { get; }

    public static async Task<ProbedFleet> StartAsync(string? folder = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Registry:HeartbeatFlushInterval"] = "00:00:00.200",
        };
        return new(await InProcessHost.StartAsync(b => b.AddRegistry().AddHealthProbe(), a => a.MapRegistry().MapHealthProbe(), all, folder));
    }

    public Task<App> UpsertAppAsync(string name, TimeSpan interval, TimeSpan timeout, int rise = 2, int fall = 3,
        HealthCheckProtocol protocol = HealthCheckProtocol.Http) =>
        Registry.UpsertAppAsync(new UpsertAppRequest
        {
            App = new App
            {
                Name = name,
                HealthCheck = new HealthCheckSpec
                {
                    Interval = Duration.FromTimeSpan(interval),
                    Timeout = Duration.FromTimeSpan(timeout),
                    Rise = rise,
                    Fall = fall,
                    Protocol = protocol,
                },
            },
        }).ResponseAsync;

    /// <summary>Starts a DemoApp and registers it (HTTP address, or its gRPC port with <paramref name="grpc"/>).</summary>
    public async Task<DemoAppProcess> AddInstanceAsync(string app, string instanceId, string version = "1.0", bool grpc = false, params string[] args)
    {
        var demo = await DemoAppProcess.StartAsync(version, args);
        _apps.Add(demo);
        await RegisterAsync(app, instanceId, grpc ? $"http://127.0.0.1:{demo.GrpcPort}" : demo.Address, version);
        return demo;
    }

    /// <summary>Keeps a DemoApp started elsewhere (e.g. restarted) under this fleet's clean-up.</summary>
    public DemoAppProcess Track(DemoAppProcess demo)
    {
        _apps.Add(demo);
        return demo;
    }

    public Task<RegisterInstanceResponse> RegisterAsync(string app, string instanceId, string address, string version = "1.0") =>
        Registry.RegisterInstanceAsync(new RegisterInstanceRequest
        {
            InstanceId = instanceId,
            App = app,
            Address = address,
            Version = version,
            LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        }).ResponseAsync;

    /// <summary>Polls until the instance is in <paramref name="state"/>; fails with its last health otherwise.</summary>
    public async Task<InstanceHealth> WaitForStateAsync(string instanceId, HealthState state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        InstanceHealth? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await Health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = instanceId });
                if (last.State == state)
                {
                    return last;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                // Not followed from the Registry yet.
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"{instanceId} not {state} in time; last: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }
}
