using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard.Live;

/// <summary>The text/event-stream framing: one event is its id (a revision), its type and one line of JSON.</summary>
public sealed class EventStreamWriter(HttpResponse response)
{
    /// <summary>How long the browser waits before it reconnects (with Last-Event-ID) after the stream ends.</summary>
    public const int RetryMilliseconds = 1000;

    public async Task StartAsync(long fromRevision, CancellationToken cancellationToken)
    {
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // nginx and other proxies would otherwise hold events back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync($"retry: {RetryMilliseconds}\n: watching from revision {fromRevision}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task WriteAsync(string type, string json, long? revision, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (revision is > 0)
        {
            text.Append("id: ").Append(revision.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append("event: ").Append(type).Append('\n');
        // Protobuf's JSON is written on one line; any newline would end the data field early.
        text.Append("data: ").Append(json.Replace("\n", " ", StringComparison.Ordinal)).Append("\n\n");
        await response.WriteAsync(text.ToString(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Where a watch starts: after the last event the browser saw (EventSource sends it as Last-Event-ID when it
    /// reconnects), else after the revision the page read its list at (?from=), else from the start (snapshots).
    /// </summary>
    public static long FromRevision(HttpRequest request)
    {
        if (long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            return last;
        }
        return long.TryParse(request.Query["from"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var from) ? from : 0;
    }
}
