using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Trace;

namespace ControlPlane.ServiceDefaults.Telemetry;

/// <summary>
/// Drops, at sampling time, the server spans of calls too frequent to trace one by one (see
/// <see cref="UntracedPaths"/>), and leaves every other decision to the parent-based default. Dropping here rather
/// than in the instrumentation's filter means no span is recorded, enriched and then thrown away for each of the
/// thousands of heartbeats a second, and nothing started under them is sampled either.
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
