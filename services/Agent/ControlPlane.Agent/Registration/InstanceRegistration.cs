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

/// <summary>
/// Brings the instance up (supervise), registers it, then renews its lease with heartbeats that report the release
/// it runs. A heartbeat refused with NotFound (lease expired and reaped, or Registry data lost) registers again.
/// </summary>
internal sealed class InstanceRegistration(
    IOptions<AgentOptions> options,
    IOptions<ControlPlaneOptions> controlPlane,
    ReleaseKeeper release,
    RegistryClient registry,
    ILogger<InstanceRegistration> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await release.InitializeAsync(stoppingToken);
        release.Changed += Wake;
        var agent = options.Value;
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
                    Status = new InstanceStatusReport { Version = release.Version, ConfigHash = release.ConfigHash },
                }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: stoppingToken);
                retry = TimeSpan.FromMilliseconds(200);
                await _wake.WaitAsync(agent.EffectiveHeartbeatInterval, stoppingToken);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                leaseId = null;
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
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
            Version = release.Version,
            ConfigHash = release.ConfigHash,
            SchemaVersion = agent.SchemaVersion,
            LeaseTtl = Duration.FromTimeSpan(agent.LeaseTtl),
            AgentAddress = OwnHttpUrl(),
        };
        request.Plugins.AddRange(agent.Plugins);
        request.Labels.Add(agent.Labels);
        var response = await registry.RegisterInstanceAsync(request, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
        AgentLog.Registered(logger, agent.InstanceId, agent.App, agent.Address, release.Version);
        return response.LeaseId;
    }

    /// <summary>The Agent's own HTTP endpoint (its /agent status), recorded as the instance's agent_address.</summary>
    private string OwnHttpUrl()
    {
        var own = new UriBuilder(controlPlane.Value.HttpUrl);
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

    public override void Dispose()
    {
        release.Changed -= Wake;
        _wake.Dispose();
        base.Dispose();
    }
}
