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
}
