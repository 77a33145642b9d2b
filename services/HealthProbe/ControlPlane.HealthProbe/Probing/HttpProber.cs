using System.Buffers;
using System.Diagnostics;
using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Targets;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>
/// HTTP checks over one shared, pooled connection handler (keep-alive per instance). Redirects are followed
/// only to the same scheme, host and port; bodies are read up to a cap; every connection goes through the
/// target policy.
/// </summary>
public sealed class HttpProber : IDisposable
{
    private const int MaxRedirects = 3;
    private readonly HttpMessageInvoker _http;
    private readonly int _maxBodyBytes;

    private readonly string _userAgent;

    public HttpProber(TargetPolicy policy, IOptions<HealthProbeOptions> options, IOptions<ControlPlaneOptions> host)
    {
        // Names the prober replica, so an instance's access log tells who checks it.
        _userAgent = $"ControlPlane-HealthProbe/{host.Value.InstanceId}";
        _maxBodyBytes = options.Value.MaxBodyBytes;
        Handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 4,
            MaxResponseDrainSize = _maxBodyBytes,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectCallback = (context, ct) => policy.ConnectAsync(context.DnsEndPoint, ct),
            // Probe latency and errors are in the prober's own per-instance metrics; generic HTTP client series for
            // every probe would cost CPU at 10,000 targets/s and say nothing more.
            MeterFactory = Untraced.UnobservedMeters,
        };
        _http = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    /// <summary>Shared with gRPC checks, so they use the same policy-checked connections.</summary>
    public SocketsHttpHandler Handler { get; }

    public async Task<EndpointCheck> CheckAsync(ProbeEndpointKind kind, Uri url, TimeSpan timeout, bool parseHealth, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var target = url.ToString();
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = Untraced.Mark(new HttpRequestMessage(HttpMethod.Get, url));
                request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
                HttpResponseMessage sent;
                using (Untraced.Begin())
                {
                    sent = await _http.SendAsync(request, deadline.Token);
                }
                using var response = sent;
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = new Uri(url, location);
                    if (hop >= MaxRedirects || next.Scheme != url.Scheme || next.Host != url.Host || next.Port != url.Port)
                    {
                        return new(kind, target, ProbeOutcome.BadStatus, status, Stopwatch.GetElapsedTime(started),
                            $"redirect to {next.GetLeftPart(UriPartial.Authority)} not followed");
                    }
                    url = next;
                    continue;
                }
                if (!parseHealth)
                {
                    return Classify(kind, target, status, null, Stopwatch.GetElapsedTime(started));
                }
                var (body, truncated) = await ReadCappedAsync(response.Content, deadline.Token);
                var report = truncated ? null : ApiHealthParser.Parse(body);
                if (report is null && status is >= 200 and < 300)
                {
                    return new(kind, target, ProbeOutcome.DependencyFailing, status, Stopwatch.GetElapsedTime(started),
                        truncated ? $"body larger than {_maxBodyBytes} bytes" : "body is not a JSON health report");
                }
                return Classify(kind, target, status, report, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(kind, target, ProbeOutcome.Timeout, 0, Stopwatch.GetElapsedTime(started), $"timeout after {timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is TargetRefusedException refused ? refused.Message : ex.GetBaseException().Message;
            return new(kind, target, ProbeOutcome.ConnectionFailed, 0, Stopwatch.GetElapsedTime(started), reason);
        }
    }

    private static EndpointCheck Classify(ProbeEndpointKind kind, string target, int status, ApiHealthReport? report, TimeSpan latency)
    {
        var failing = report?.Dependencies.Where(d => !d.Ok).Select(d => $"{d.Name}: {d.Status}").ToList();
        if (failing is { Count: > 0 })
        {
            return new(kind, target, ProbeOutcome.DependencyFailing, status, latency, string.Join(", ", failing), report);
        }
        if (status is < 200 or >= 300)
        {
            return new(kind, target, ProbeOutcome.BadStatus, status, latency, $"HTTP {status}", report);
        }
        return new(kind, target, ProbeOutcome.Ok, status, latency, null, report);
    }

    /// <summary>Reads at most the cap (plus one byte, to tell a body that is longer).</summary>
    private async Task<(byte[] Body, bool Truncated)> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var limit = _maxBodyBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var total = 0;
            int read;
            while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken)) > 0)
            {
                total += read;
            }
            return total > _maxBodyBytes ? ([], true) : (buffer.AsSpan(0, total).ToArray(), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        Handler.Dispose();
    }
}
