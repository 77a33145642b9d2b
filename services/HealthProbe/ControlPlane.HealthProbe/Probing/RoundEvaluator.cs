using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.State;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>
/// One round's verdict from its checks: HEALTHY needs readiness and /api/health both OK; an instance that
/// answers but whose /api/health reports a failing dependency is DEGRADED; anything else fails.
/// </summary>
public static class RoundEvaluator
{
    public static (Verdict Verdict, string Reason) Evaluate(IReadOnlyList<EndpointCheck> checks)
    {
        if (checks.All(c => c.Outcome == ProbeOutcome.Ok))
        {
            return (Verdict.Pass, "every check passed");
        }
        var health = checks.FirstOrDefault(c => c.Endpoint == ProbeEndpointKind.Health);
        var alive = checks.Any(c => c.Answered);
        if (health.Outcome == ProbeOutcome.DependencyFailing && alive)
        {
            return (Verdict.Degraded, $"{PathOf(health)} reports {health.Error}");
        }
        var failed = checks.Where(c => c.Outcome != ProbeOutcome.Ok)
            .OrderBy(c => c.Endpoint == ProbeEndpointKind.Liveness ? 0 : 1)
            .First();
        return (Verdict.Fail, $"{PathOf(failed)}: {failed.Error}");
    }

    private static string PathOf(EndpointCheck check) =>
        Uri.TryCreate(check.Target, UriKind.Absolute, out var uri) ? uri.AbsolutePath : check.Target;
}
