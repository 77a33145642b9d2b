using System.Net;
using System.Text.Json;

namespace ControlPlane.Cpctl.Doctor;

/// <summary>
/// What one replica says about itself on /api/health and /metrics. Either of its ports will do: the HTTP/1.1 one,
/// or the gRPC one (HTTP/2 without TLS), which is the address operators usually have at hand.
/// </summary>
public sealed record ReplicaReport(string Url, JsonElement? Health, string? Error, ApiTraffic? Traffic)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public bool Reachable => Health is not null;

    /// <summary>Who the replica is, for sentences: its URL and instance id.</summary>
    public string Name => Text("instanceId") is { Length: > 0 } id ? $"{Url} ({id})" : Url;

    public string? Text(string property) =>
        Health is { } h && h.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyDictionary<string, string> SchemaVersions =>
        Health is { } h && h.TryGetProperty("schemaVersion", out var versions) && versions.ValueKind == JsonValueKind.Object
            ? versions.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : new Dictionary<string, string>();

    public static async Task<ReplicaReport> FetchAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            try
            {
                // /api/health answers 503 with its JSON body when the database fails: the body is what we want either way.
                var body = await GetAsync(http, new Uri(new Uri(url), "/api/health"), version, cancellationToken);
                var health = JsonDocument.Parse(body).RootElement.Clone();
                var metrics = await GetAsync(http, new Uri(new Uri(url), "/metrics"), version, cancellationToken);
                return new ReplicaReport(url, health, null, ApiTraffic.FromPrometheus(metrics));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException)
            {
                errors.Add(ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0}s" : Innermost(ex).Message);
            }
        }
        return new ReplicaReport(url, null, errors.Distinct().First(), null);
    }

    private static async Task<string> GetAsync(HttpClient http, Uri uri, Version version, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.SendAsync(request, timeout.Token);
        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
