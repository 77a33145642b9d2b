using ControlPlane.Api.V1;
using Grpc.Core;

namespace ControlPlane.Rollouts.Driving;

/// <summary>What HealthProbe says of an instance that was just given a release: healthy at it yet, and verified.</summary>
public sealed class HealthGate(FleetClients fleet)
{
    /// <summary>The instance's health, probed now first when the last result does not show it healthy at the release yet.</summary>
    public async Task<InstanceHealth?> ReadAsync(string instanceId, string version, DateTime appliedAt, CancellationToken cancellationToken)
    {
        try
        {
            var health = await fleet.GetHealthAsync(instanceId, cancellationToken);
            if (IsHealthyAt(health, version, appliedAt))
            {
                return health;
            }
            await fleet.ProbeNowAsync(instanceId, cancellationToken);
            return await fleet.GetHealthAsync(instanceId, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Not followed by HealthProbe yet, or HealthProbe briefly down: wait within the healthy deadline.
            return null;
        }
    }

    /// <summary>HEALTHY, the last round passed, at the expected version, judged on a probe after the release was applied.</summary>
    public static bool IsHealthyAt(InstanceHealth? health, string version, DateTime appliedAt) =>
        health is { State: HealthState.Healthy, ConsecutiveFailures: 0 }
        && (version.Length == 0 || health.ReportedVersion == version)
        && health.LastCheckedAt is { } checkedAt && checkedAt.ToDateTime() >= appliedAt;

    /// <summary>Why the instance fails verification (its /api/health must show the version and a healthy database), or null.</summary>
    public static string? VerifyFailure(InstanceHealth health, string version)
    {
        var report = health.HealthReport;
        if (report is null)
        {
            return "/api/health was not parsed";
        }
        if (version.Length > 0 && report.Version != version)
        {
            return $"/api/health reports version {report.Version}, expected {version}";
        }
        var failing = report.Dependencies.Where(d => !d.Ok).Select(d => $"{d.Name}: {d.Status}").ToList();
        return failing.Count > 0 ? "/api/health reports " + string.Join(", ", failing) : null;
    }

    public static string Describe(InstanceHealth? health) =>
        health is null ? "not probed yet" : $"{health.State} at version '{health.ReportedVersion}'" + (health.Reason.Length > 0 ? $": {health.Reason}" : "");
}
