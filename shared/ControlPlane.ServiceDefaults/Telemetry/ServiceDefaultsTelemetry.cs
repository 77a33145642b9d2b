using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>The ActivitySource and Meter of the shared building blocks (outbox, cache, leases).</summary>
public static class ServiceDefaultsTelemetry
{
    public const string Name = "ControlPlane.ServiceDefaults";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("controlplane.cache.hits", description: "Reads answered from the cache.");
    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("controlplane.cache.misses", description: "Reads the cache could not answer.");
}
