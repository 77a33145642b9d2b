using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>How one request to one endpoint ended.</summary>
public readonly record struct EndpointCheck(
    ProbeEndpointKind Endpoint,
    string Target,
    ProbeOutcome Outcome,
    int StatusCode,
    TimeSpan Latency,
    string? Error,
    ApiHealthReport? Report = null,
    string GrpcServingStatus = "")
{
    /// <summary>The instance answered something (it is alive), even if not what was hoped for.</summary>
    public bool Answered => Outcome is ProbeOutcome.Ok or ProbeOutcome.BadStatus or ProbeOutcome.DependencyFailing;
}
