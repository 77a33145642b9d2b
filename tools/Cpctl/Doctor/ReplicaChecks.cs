namespace ControlPlane.Cpctl.Doctor;

/// <summary>
/// The HA guide's "instances don't recognize each other" and "session" checks, on what every replica reports on
/// /api/health: reachable, same HA setting, database reachable, same schema versions, the cache (Redis or Memcached) and the bus reachable.
/// </summary>
public static class ReplicaChecks
{
    public static IEnumerable<Check> Run(IReadOnlyList<ReplicaReport> replicas)
    {
        var down = replicas.Where(r => !r.Reachable).ToList();
        yield return down.Count == 0
            ? Check.Pass("replicas reachable", $"all {replicas.Count} replica(s) answered /api/health.")
            : Check.Fail("replicas reachable", string.Join(" ", down.Select(r => $"{r.Url} did not answer /api/health: {r.Error}.")) +
                " Check the process is running and the address is right.");

        var up = replicas.Where(r => r.Reachable).ToList();
        if (up.Count == 0)
        {
            yield break;
        }
        yield return SameMode(up);
        yield return Each(up, "database reachable", "database", "reaches its database",
            r => $"{r.Name} reports its database {r.Text("database")}: check ConnectionStrings:ControlPlane and the database server.");
        yield return SameSchema(up);
        yield return Cache(up);
        yield return Each(up, "bus reachable", "bus", "reaches the bus",
            r => $"{r.Name} reports the bus {r.Text("bus")}: check ConnectionStrings:RabbitMq and that RabbitMQ is up.", alsoOk: "none");
    }

    private static Check SameMode(IReadOnlyList<ReplicaReport> up)
    {
        var modes = up.GroupBy(r => r.Text("mode") ?? "unknown").ToList();
        if (modes.Count > 1)
        {
            return Check.Fail("same HA setting", "replicas disagree on ControlPlane:HighAvailability: " +
                string.Join("; ", modes.Select(g => $"{string.Join(", ", g.Select(r => r.Name))} run {g.Key}")) +
                ". Set ControlPlane__HighAvailability=true on every replica.");
        }
        var mode = modes[0].Key;
        if (mode == "single-instance" && up.Count > 1)
        {
            return Check.Fail("same HA setting", $"{up.Count} replicas run single-instance: each has its own SQLite database and in-memory bus, " +
                "so they do not see each other. Set ControlPlane__HighAvailability=true with PostgreSQL and RabbitMQ.");
        }
        var providers = up.GroupBy(r => r.Text("databaseProvider") ?? "unknown").ToList();
        if (mode == "high-availability" && providers.Count > 1)
        {
            return Check.Fail("same HA setting", "replicas use different database providers, so not one shared database: " +
                string.Join("; ", providers.Select(g => $"{string.Join(", ", g.Select(r => r.Name))} on {g.Key}")) +
                ". Give every replica the same ConnectionStrings__ControlPlane.");
        }
        return Check.Pass("same HA setting", $"every replica runs {mode}" +
            (mode == "high-availability" ? $" on {up[0].Text("databaseProvider")}." : " (one replica, embedded SQLite)."));
    }

    /// <summary>
    /// Migrations are per provider (PostgreSQL's and SQLite's have their own ids), so versions compare between
    /// replicas on the same provider; replicas on different providers already fail the HA check.
    /// </summary>
    private static Check SameSchema(IReadOnlyList<ReplicaReport> up)
    {
        var differences = new List<string>();
        var owners = up.SelectMany(r => r.SchemaVersions.Keys).Distinct().Order().ToList();
        foreach (var provider in up.GroupBy(r => r.Text("databaseProvider") ?? "unknown"))
        {
            foreach (var owner in owners)
            {
                var versions = provider.Where(r => r.SchemaVersions.ContainsKey(owner)).GroupBy(r => r.SchemaVersions[owner]).ToList();
                if (versions.Count > 1)
                {
                    differences.Add($"{owner}: " + string.Join(", ", versions.Select(g => $"{g.Key} on {string.Join(" and ", g.Select(r => r.Name))}")));
                }
            }
        }
        if (differences.Count > 0)
        {
            return Check.Fail("same schema version", $"replicas run different database schema versions ({string.Join("; ", differences)}): " +
                "finish the rolling update so every replica runs the same build.");
        }
        return owners.Count == 0
            ? Check.Warn("same schema version", "no replica reports a schema version yet (migrations still running?).")
            : Check.Pass("same schema version", $"every replica runs the same schema: {string.Join(", ", owners.Select(o => $"{o} {up.First(r => r.SchemaVersions.ContainsKey(o)).SchemaVersions[o]}"))}.");
    }

    private static Check Cache(IReadOnlyList<ReplicaReport> up)
    {
        const string name = "cache reachable";
        var shared = up.Where(r => CacheKind(r) is "redis" or "memcached").ToList();
        var kinds = shared.GroupBy(CacheKind).ToList();
        if (kinds.Count > 1)
        {
            return Check.Fail(name, "replicas use different caches (" +
                string.Join("; ", kinds.Select(k => $"{Display(k.Key)} on {string.Join(" and ", k.Select(r => r.Name))}")) +
                "): a change on one never drops the entries of the other. Give every replica the same ConnectionStrings:Redis or ConnectionStrings:Memcached.");
        }
        var failing = shared.Where(r => r.Text("cache") is "failing" or "degraded").ToList();
        if (failing.Count > 0)
        {
            var kind = Display(CacheKind(failing[0]));
            return Check.Fail(name, string.Join(" ", failing.Select(r => $"{r.Name} reports {kind} {r.Text("cache")}.")) +
                $" Check ConnectionStrings:{kind} and that {kind} is up; the services fall back to the database meanwhile.");
        }
        var withoutCache = up.Where(r => CacheKind(r) == "none").ToList();
        if (withoutCache.Count > 0)
        {
            return Check.Warn(name, $"{string.Join(", ", withoutCache.Select(r => r.Name))} run(s) HA without a shared cache: " +
                "the database serves every read. Redis or Memcached is recommended (ConnectionStrings:Redis or ConnectionStrings:Memcached).");
        }
        return Check.Pass(name, shared.Count == 0
            ? "single-instance: the cache is in process."
            : $"every replica configured with {Display(CacheKind(shared[0]))} reaches it.");
    }

    // Replicas older than cacheKind on /api/health knew Redis only: their "cache" is none, memory or Redis's state.
    private static string CacheKind(ReplicaReport replica) =>
        replica.Text("cacheKind") ?? (replica.Text("cache") is "none" or "memory" ? replica.Text("cache")! : "redis");

    private static string Display(string kind) => kind == "memcached" ? "Memcached" : "Redis";

    private static Check Each(IReadOnlyList<ReplicaReport> up, string name, string property, string okSentence, Func<ReplicaReport, string> problem,
        string? alsoOk = null)
    {
        var bad = up.Where(r => r.Text(property) is not ("ok" or null) && r.Text(property) != alsoOk).ToList();
        return bad.Count == 0
            ? Check.Pass(name, $"every replica {okSentence}.")
            : Check.Fail(name, string.Join(" ", bad.Select(problem)));
    }
}
