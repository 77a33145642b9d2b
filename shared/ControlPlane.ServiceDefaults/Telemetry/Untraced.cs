using System.Diagnostics.Metrics;

namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>
/// Marks outgoing HTTP requests that must not become spans: the prober's checks, thousands a second, would
/// flood the exporter. Health transitions are traced by the prober itself instead.
/// </summary>
public static class Untraced
{
    private static readonly HttpRequestOptionsKey<bool> Key = new("ControlPlane.Untraced");

    public static HttpRequestMessage Mark(HttpRequestMessage request)
    {
        request.Options.Set(Key, true);
        return request;
    }

    public static bool IsMarked(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var marked) && marked;

    /// <summary>
    /// Within the returned scope OpenTelemetry starts no spans at all: cheaper than <see cref="Mark"/>, whose span
    /// is created and then dropped by the filter. For hot paths such as probing (the HttpClient metrics stay).
    /// </summary>
    public static IDisposable Begin() => OpenTelemetry.SuppressInstrumentationScope.Begin();

    /// <summary>
    /// For a handler whose generic HTTP client metrics are not wanted (the prober's: thousands of requests a second,
    /// already measured per instance by the prober's own metrics): its meters get a name no provider listens to.
    /// </summary>
    public static IMeterFactory UnobservedMeters { get; } = new UnobservedMeterFactory();

    private sealed class UnobservedMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(new MeterOptions("ControlPlane.Unobserved." + options.Name) { Version = options.Version });

        public void Dispose()
        {
        }
    }
}
