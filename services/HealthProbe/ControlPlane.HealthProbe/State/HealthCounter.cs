using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.State;

/// <summary>What one round of checks of an instance concluded.</summary>
public enum Verdict
{
    Pass,

    /// <summary>Alive, but /api/health reports a failing dependency.</summary>
    Degraded,

    Fail,
}

/// <summary>
/// Rise/fall thresholds over consecutive verdicts (DESIGN §6), as load balancers count them: a HEALTHY (or
/// new) instance goes out after <c>fall</c> failing rounds, an unhealthy one comes back after <c>rise</c>
/// passing rounds. Once out, it moves between DEGRADED and UNHEALTHY with the kind of the latest failure.
/// </summary>
public sealed class HealthCounter(HealthState initial = HealthState.Unknown)
{
    public HealthState State { get; private set; } = initial;

    public int Successes { get; private set; }

    public int Failures { get; private set; }

    /// <returns>Whether the state changed.</returns>
    public bool Record(Verdict verdict, int rise, int fall)
    {
        if (verdict == Verdict.Pass)
        {
            Failures = 0;
            Successes++;
            return Move(State != HealthState.Healthy && Successes >= rise, HealthState.Healthy);
        }
        Successes = 0;
        Failures++;
        var failed = verdict == Verdict.Degraded ? HealthState.Degraded : HealthState.Unhealthy;
        var isOut = State is HealthState.Degraded or HealthState.Unhealthy;
        return Move(isOut ? State != failed : Failures >= fall, failed);
    }

    /// <summary>Forces a state (an address refused by policy is UNHEALTHY without being probed).</summary>
    public bool Force(HealthState state) => Move(State != state, state);

    private bool Move(bool condition, HealthState to)
    {
        if (!condition)
        {
            return false;
        }
        State = to;
        return true;
    }
}
