using ControlPlane.Agent.Applying;
using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Agent.Registration;

/// <summary>Runs every hosted Agent's registration loop until the process stops.</summary>
internal sealed class AgentRegistrations(
    AgentSet agents,
    IOptions<ControlPlaneOptions> controlPlane,
    RegistryClient registry,
    ILogger<InstanceRegistration> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(agents.All.Select(async agent =>
        {
            using var registration = new InstanceRegistration(agent, controlPlane.Value, registry, logger);
            await registration.RunAsync(stoppingToken);
        }));
}

/// <summary>
/// Brings the instance up (supervise), registers it, then renews its lease with heartbeats that report the release
/// it runs. A heartbeat refused with NotFound (lease expired and reaped, or Registry data lost) registers again.
/// </summary>
internal sealed class InstanceRegistration(
    HostedAgent hosted,
    ControlPlaneOptions controlPlane,
    RegistryClient registry,
    ILogger<InstanceRegistration> logger) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    private ReleaseKeeper Release => hosted.Release;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await Release.InitializeAsync(stoppingToken);
        Release.Changed += Wake;
        var agent = hosted.Options;
        string? leaseId = null;
        var retry = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                leaseId ??= await RegisterAsync(agent, stoppingToken);
                await registry.HeartbeatAsync(new HeartbeatRequest
                {
                    InstanceId = agent.InstanceId,
                    LeaseId = leaseId,
                    Status = new InstanceStatusReport { Version = Release.Version, ConfigHash = Release.ConfigHash },
                }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: stoppingToken);
                retry = TimeSpan.FromMilliseconds(200);
                await _wake.WaitAsync(agent.EffectiveHeartbeatInterval, stoppingToken);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && leaseId is not null)
            {
                // The lease expired and was reaped: register again at once. (A NotFound from registering itself, an
                // app not created yet, is retried with back-off below.)
                leaseId = null;
            }
            catch (RpcException) when (stoppingToken.IsCancellationRequested)
            {
                // A call in flight when the host stops ends as Cancelled: that is the stop, not a failure.
                return;
            }
            catch (RpcException ex)
            {
                AgentLog.RegistryFailed(logger, agent.InstanceId, retry, ex.Status.Detail);
                await Task.Delay(retry, stoppingToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, agent.EffectiveHeartbeatInterval.Ticks));
            }
        }
    }

    private async Task<string> RegisterAsync(AgentOptions agent, CancellationToken cancellationToken)
    {
        var request = new RegisterInstanceRequest
        {
            InstanceId = agent.InstanceId,
            App = agent.App,
            Address = agent.Address,
            Version = Release.Version,
            ConfigHash = Release.ConfigHash,
            SchemaVersion = agent.SchemaVersion,
            LeaseTtl = Duration.FromTimeSpan(agent.LeaseTtl),
            AgentAddress = OwnHttpUrl(),
        };
        request.Plugins.AddRange(agent.Plugins);
        request.Labels.Add(agent.Labels);
        var response = await registry.RegisterInstanceAsync(request, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
        AgentLog.Registered(logger, agent.InstanceId, agent.App, agent.Address, Release.Version);
        return response.LeaseId;
    }

    /// <summary>The Agent's own HTTP endpoint (its /agent status), recorded as the instance's agent_address.</summary>
    private string OwnHttpUrl()
    {
        var own = new UriBuilder(controlPlane.HttpUrl);
        if (own.Host is "0.0.0.0" or "*" or "+")
        {
            own.Host = "127.0.0.1";
        }
        return own.Uri.ToString().TrimEnd('/');
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    public void Dispose()
    {
        Release.Changed -= Wake;
        _wake.Dispose();
    }
}
