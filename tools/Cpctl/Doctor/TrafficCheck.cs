namespace ControlPlane.Cpctl.Doctor;

/// <summary>
/// The HA guide's "load distribution problems": API requests per replica, from each replica's own request counter.
/// Counters run since each replica started, so a replica restarted recently looks light: a warning, not a failure.
/// </summary>
public static class TrafficCheck
{
    public const string Name = "request distribution";

    /// <summary>Below this many requests in all, shares say nothing.</summary>
    public const long MinRequests = 50;

    /// <summary>A replica serving more than this times its even share is skewed.</summary>
    public const double MaxSkew = 1.5;

    public static Check Run(IReadOnlyList<ReplicaReport> replicas)
    {
        var counted = replicas.Where(r => r.Traffic is not null).ToList();
        if (counted.Count < 2)
        {
            return Check.Pass(Name, $"{counted.Count} replica(s) answered: no spread to compare.");
        }
        var total = counted.Sum(r => r.Traffic!.Requests);
        var shares = string.Join(", ", counted.Select(r => $"{r.Name} {Share(r, total):0}%"));
        if (total < MinRequests)
        {
            return Check.Pass(Name, $"too little API traffic to judge ({total} requests in all, fewer than {MinRequests}).");
        }
        var even = (double)total / counted.Count;
        var busiest = counted.MaxBy(r => r.Traffic!.Requests)!;
        var idle = counted.Where(r => r.Traffic!.Requests == 0).ToList();
        if (idle.Count > 0 || busiest.Traffic!.Requests > even * MaxSkew)
        {
            return Check.Warn(Name, $"API requests are unevenly spread over {total} requests ({shares}); " +
                (idle.Count > 0 ? $"{string.Join(", ", idle.Select(r => r.Name))} served none: is it in the load balancer's pool? " : "") +
                "Check the load balancer's algorithm (leastconn) and health checks.");
        }
        var errors = counted.Where(r => r.Traffic!.ServerErrors > 0).ToList();
        return errors.Count > 0
            ? Check.Warn(Name, $"requests spread evenly ({shares}), but {string.Join(", ", errors.Select(r => $"{r.Name} answered {r.Traffic!.ServerErrors} with 5xx"))}: check its logs.")
            : Check.Pass(Name, $"API requests spread evenly over {total} requests ({shares}).");
    }

    private static double Share(ReplicaReport r, long total) => total == 0 ? 0 : 100.0 * r.Traffic!.Requests / total;
}
