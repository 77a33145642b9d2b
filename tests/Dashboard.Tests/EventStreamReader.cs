using System.Net;

namespace Dashboard.Tests;

/// <summary>One server-sent event as a browser's EventSource reads it.</summary>
public sealed record ServerSentEvent(string? Id, string Type, string Data);

/// <summary>Reads a text/event-stream response event by event, as EventSource does (id, event and data fields).</summary>
public sealed class EventStreamReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static async Task<EventStreamReader> OpenAsync(HttpClient http, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
        }
        return new EventStreamReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    /// <summary>The next event; comments and the retry field are skipped.</summary>
    public async Task<ServerSentEvent> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = "message", data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerSentEvent(id, type, data);
                }
                continue;
            }
            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? value : $"{data}\n{value}"; break;
            }
        }
        throw new EndOfStreamException("the event stream ended");
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
