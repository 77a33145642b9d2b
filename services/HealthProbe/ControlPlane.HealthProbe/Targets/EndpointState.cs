using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Probing;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.HealthProbe.Targets;

/// <summary>The latest check of one endpoint, and when it last passed and failed (kept in memory only).</summary>
public sealed class EndpointState
{
    public EndpointCheck Last { get; private set; }
    public DateTime CheckedAt { get; private set; }
    public DateTime? LastSuccessAt { get; private set; }
    public DateTime? LastFailureAt { get; private set; }
    public string LastError { get; private set; } = "";

    public void Record(EndpointCheck check, DateTime at)
    {
        Last = check;
        CheckedAt = at;
        if (check.Outcome == ProbeOutcome.Ok)
        {
            LastSuccessAt = at;
        }
        else
        {
            LastFailureAt = at;
            LastError = check.Error ?? check.Outcome.ToString();
        }
    }

    public EndpointResult ToApi()
    {
        var result = new EndpointResult
        {
            Endpoint = Last.Endpoint,
            Target = Last.Target,
            Outcome = Last.Outcome,
            Latency = Duration.FromTimeSpan(Last.Latency),
            CheckedAt = Timestamp.FromDateTime(CheckedAt),
            LastError = LastError,
            GrpcServingStatus = Last.GrpcServingStatus,
        };
        if (Last.Endpoint == ProbeEndpointKind.Grpc)
        {
            result.GrpcStatusCode = Last.StatusCode;
        }
        else
        {
            result.HttpStatusCode = Last.StatusCode;
        }
        if (LastSuccessAt is { } ok)
        {
            result.LastSuccessAt = Timestamp.FromDateTime(ok);
        }
        if (LastFailureAt is { } failed)
        {
            result.LastFailureAt = Timestamp.FromDateTime(failed);
        }
        return result;
    }
}
