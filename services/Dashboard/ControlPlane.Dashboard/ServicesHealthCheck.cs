using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Dashboard;

/// <summary>
/// The dashboard host's readiness: each service answers grpc.health.v1 (open to anyone, like /readyz). Without the
/// Registry no page can be drawn: Unhealthy, out of the load balancer. Without another service only its pages fail:
/// Degraded, still served, and the answer names it.
/// </summary>
public sealed class ServicesHealthCheck(DashboardChannels channels) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var checks = new (string Name, Task<string?> Failure)[]
        {
            ("registry", FailureAsync(channels.Registry, cancellationToken)),
            ("healthprobe", FailureAsync(channels.HealthProbe, cancellationToken)),
            ("rollouts", FailureAsync(channels.Rollouts, cancellationToken)),
            ("backups", FailureAsync(channels.Backups, cancellationToken)),
        };
        await Task.WhenAll(checks.Select(c => c.Failure));
        var failed = checks.Where(c => c.Failure.Result is not null).Select(c => $"{c.Name}: {c.Failure.Result}").ToList();
        if (failed.Count == 0)
        {
            return HealthCheckResult.Healthy("every service answers");
        }
        var description = string.Join("; ", failed);
        return checks[0].Failure.Result is null ? HealthCheckResult.Degraded(description) : HealthCheckResult.Unhealthy(description);
    }

    private static async Task<string?> FailureAsync(Grpc.Net.Client.GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(),
                deadline: DateTime.UtcNow + Timeout, cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : reply.Status.ToString();
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }
}
