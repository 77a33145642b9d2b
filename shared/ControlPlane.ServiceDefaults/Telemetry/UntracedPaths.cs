namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>
/// Calls too frequent to trace one by one (health checks, metric scrapes, lease heartbeats: thousands a second in a
/// large fleet). Their rates and latencies are in the metrics; everything else is traced.
/// </summary>
public static class UntracedPaths
{
    public static bool Contains(string? path) =>
        path is "/livez" or "/readyz" or "/api/health" or "/metrics" or "/controlplane.v1.Registry/Heartbeat"
        || (path?.StartsWith("/grpc.health.v1.", StringComparison.Ordinal) ?? false);
}
