using System.Collections.Concurrent;
using System.Net;
using ControlPlane.Testing.Otlp;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Testing;

/// <summary>One span as received: ids in lower-case hex, the exporting service, and string attributes.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Service, string Scope,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A stand-in for Jaeger's OTLP/gRPC endpoint: a Kestrel HTTP/2 listener on loopback implementing
/// TraceService/Export that records every span. Point OTEL_EXPORTER_OTLP_ENDPOINT at <see cref="Endpoint"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private OtlpReceiver(string endpoint) => Endpoint = endpoint;

    public string Endpoint { get; }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var receiver = new OtlpReceiver($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(receiver);
        var app = builder.Build();
        app.MapGrpcService<TraceExporter>();
        await app.StartAsync();
        receiver._app = app;
        return receiver;
    }

    /// <summary>Waits until the spans received satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Spans.ToList();
            if (done(spans))
            {
                return spans;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the awaited spans did not arrive; received {spans.Count}:\n" +
                    string.Join('\n', spans.Select(s => $"{s.Service} {s.TraceId[..8]} {s.Name}")));
            }
            await Task.Delay(100);
        }
    }

    internal void Record(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    Spans.Enqueue(new ReceivedSpan(
                        Convert.ToHexStringLower(span.TraceId.Span), Convert.ToHexStringLower(span.SpanId.Span),
                        Convert.ToHexStringLower(span.ParentSpanId.Span), span.Name, span.Kind, service, scope.Scope?.Name ?? "",
                        span.Attributes.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => Text(g.First().Value))));
                }
            }
        }
    }

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private sealed class TraceExporter(OtlpReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            receiver.Record(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }
}
