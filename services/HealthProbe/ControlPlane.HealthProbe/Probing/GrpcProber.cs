using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Api.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>grpc.health.v1 checks, one channel per instance address over the prober's policy-checked connections.</summary>
public sealed class GrpcProber(HttpProber http) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public async Task<EndpointCheck> CheckAsync(string address, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var channel = _channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
        {
            HttpHandler = http.Handler,
            DisposeHttpClient = false,
        }));
        var target = $"{address} service '{service}'";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(
                new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
            var serving = reply.Status switch
            {
                HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
                HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
                HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
                _ => "UNKNOWN",
            };
            var ok = reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return new(ProbeEndpointKind.Grpc, target, ok ? ProbeOutcome.Ok : ProbeOutcome.BadStatus, 0,
                Stopwatch.GetElapsedTime(started), ok ? null : $"gRPC health {serving}", GrpcServingStatus: serving);
        }
        catch (RpcException ex)
        {
            var outcome = ex.StatusCode switch
            {
                StatusCode.DeadlineExceeded => ProbeOutcome.Timeout,
                StatusCode.Unavailable => ProbeOutcome.ConnectionFailed,
                _ => ProbeOutcome.BadStatus,
            };
            return new(ProbeEndpointKind.Grpc, target, outcome, (int)ex.StatusCode, Stopwatch.GetElapsedTime(started),
                $"gRPC {ex.StatusCode}: {ex.Status.Detail}");
        }
    }

    public void Forget(string address)
    {
        if (_channels.TryRemove(address, out var channel))
        {
            channel.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}
