namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>Which cache a process uses, as /api/health and cpctl doctor report it (in lower case).</summary>
public enum CacheKind
{
    /// <summary>HA without a shared cache: every read goes to the database.</summary>
    None,

    /// <summary>Single instance: the process's own memory.</summary>
    Memory,

    Redis,
    Memcached,
}
