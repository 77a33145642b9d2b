namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>Limits of <see cref="MemcachedClient"/>; the defaults suit a cache that must never hold a call up for long.</summary>
public sealed record MemcachedClientOptions
{
    /// <summary>Connections kept open at most; a call that finds all in use waits (within <see cref="Timeout"/>).</summary>
    public int PoolSize { get; init; } = 8;

    /// <summary>For a whole call: waiting for a connection, connecting, sending and reading the reply.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The back-off after a first failure; it doubles with each further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
}
