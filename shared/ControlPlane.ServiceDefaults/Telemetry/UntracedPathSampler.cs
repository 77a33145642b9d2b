using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Trace;

namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>
/// Drops, at sampling time, the server spans of calls too frequent to trace one by one (see
/// <see cref="UntracedPaths"/>), and leaves every other decision to the parent-based default. Decided here, even a
/// heartbeat whose caller's trace is sampled is dropped, and nothing started under it is sampled either; the
/// instrumentation's filter (same paths) then skips the per-request enrichment of the unsampled activity.
/// </summary>
/// <remarks>
/// ASP.NET Core starts its request activity with no tags, so the path is read from the request being handled:
/// the hosting layer has set the <see cref="IHttpContextAccessor"/> before it starts the activity.
/// </remarks>
public sealed class UntracedPathSampler(IHttpContextAccessor requests) : Sampler
{
    private static readonly Sampler Default = new ParentBasedSampler(new AlwaysOnSampler());
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Kind == ActivityKind.Server && UntracedPaths.Contains(requests.HttpContext?.Request.Path.Value))
        {
            return Drop;
        }
        return Default.ShouldSample(samplingParameters);
    }
}
