using System.Text.Json;
using ControlPlane.Dashboard.Api;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Dashboard.Live;

/// <summary>
/// Relays one of the API's Watch streams to the browser as server-sent events, each with its revision as the event
/// id. The stream ends when the browser leaves, the process stops, or the watch fails; the browser then reconnects
/// by itself and the watch resumes after the last revision it saw. No polling: events arrive as the API sends them.
/// </summary>
public static class WatchRelay
{
    public static async Task RunAsync<T>(
        HttpContext context,
        Func<long, CancellationToken, AsyncServerStreamingCall<T>> watch,
        Func<T, (long Revision, string Type)> describe)
        where T : IMessage
    {
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var from = EventStreamWriter.FromRevision(context.Request);
        var writer = new EventStreamWriter(context.Response);
        try
        {
            await writer.StartAsync(from, stop.Token);
            using var call = watch(from, stop.Token);
            await foreach (var item in call.ResponseStream.ReadAllAsync(stop.Token))
            {
                var (revision, type) = describe(item);
                await writer.WriteAsync(type, ProtoJson.Format(item), revision, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException ex)
        {
            // OutOfRange: the revision is older than the retained log; the page reads its list again ("reset").
            // Unauthenticated: the key was revoked or expired; the page signs in again. Anything else: the browser
            // reconnects and the watch resumes where it was.
            var type = ex.StatusCode switch
            {
                StatusCode.OutOfRange => "reset",
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => "refused",
                _ => "failed",
            };
            var body = JsonSerializer.Serialize(new { status = ex.StatusCode.ToString(), detail = ex.Status.Detail });
            await writer.WriteAsync(type, body, null, CancellationToken.None);
        }
    }
}
