using ControlPlane.Api.V1;
using ControlPlane.Dashboard.Auth;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard;

/// <summary>The suite's gRPC clients for one request, calling as its signed-in user.</summary>
public sealed class DashboardClients(GrpcClientFactory factory, IHttpContextAccessor accessor)
{
    // Names of their own: AllInOne's services register RegistryClient etc. with the process's credential, which
    // must never be what a browser's request runs with.
    public const string RegistryName = "dashboard-registry";
    public const string HealthProbeName = "dashboard-healthprobe";
    public const string RolloutsName = "dashboard-rollouts";
    public const string BackupsName = "dashboard-backups";
    public const string AccessName = "dashboard-access";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public Registry.RegistryClient Registry => factory.CreateClient<Registry.RegistryClient>(RegistryName);

    public HealthProbe.HealthProbeClient Health => factory.CreateClient<HealthProbe.HealthProbeClient>(HealthProbeName);

    public Rollouts.RolloutsClient Rollouts => factory.CreateClient<Rollouts.RolloutsClient>(RolloutsName);

    public Backups.BackupsClient Backups => factory.CreateClient<Backups.BackupsClient>(BackupsName);

    public Access.AccessClient Access => factory.CreateClient<Access.AccessClient>(AccessName);

    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("no request");

    /// <summary>A unary call as the user, with a deadline.</summary>
    public CallOptions Call => DashboardUser.Call(Context.User, Context.RequestAborted, Deadline);

    /// <summary>A watch as the user: no deadline, ends with the request (or <paramref name="cancellationToken"/>).</summary>
    public CallOptions Watch(CancellationToken cancellationToken) => DashboardUser.Call(Context.User, cancellationToken);

    /// <summary>Who asks, as the rollout's and backup's initiator.</summary>
    public string Initiator => $"{DashboardUser.Name(Context.User)} (dashboard)";
}
