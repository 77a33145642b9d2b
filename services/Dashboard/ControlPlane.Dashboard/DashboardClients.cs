using ControlPlane.Api.V1;
using ControlPlane.Dashboard.Auth;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard;

/// <summary>The suite's gRPC clients for one request, calling as its signed-in user.</summary>
public sealed class DashboardClients(DashboardChannels channels, IHttpContextAccessor accessor)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public Registry.RegistryClient Registry => new(channels.Registry);

    public HealthProbe.HealthProbeClient Health => new(channels.HealthProbe);

    public Rollouts.RolloutsClient Rollouts => new(channels.Rollouts);

    public Backups.BackupsClient Backups => new(channels.Backups);

    /// <summary>The Access API is served by the Registry.</summary>
    public Access.AccessClient Access => new(channels.Registry);

    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("no request");

    /// <summary>A unary call as the user, with a deadline.</summary>
    public CallOptions Call => DashboardUser.Call(Context.User, Context.RequestAborted, Deadline);

    /// <summary>A watch as the user: no deadline, ends with the request (or <paramref name="cancellationToken"/>).</summary>
    public CallOptions Watch(CancellationToken cancellationToken) => DashboardUser.Call(Context.User, cancellationToken);

    /// <summary>Who asks, as the rollout's and backup's initiator.</summary>
    public string Initiator => $"{DashboardUser.Name(Context.User)} (dashboard)";
}
