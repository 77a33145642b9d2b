using System.Text.Json;
using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>
/// Reads an /api/health body the way Grafana and our own services write it: a JSON object whose string
/// members are facts (version, commit) or dependency states ("database": "ok" | "failing").
/// </summary>
public static class ApiHealthParser
{
    private static readonly HashSet<string> Healthy = new(StringComparer.OrdinalIgnoreCase) { "ok", "healthy", "up", "degraded" };
    private static readonly HashSet<string> Failing = new(StringComparer.OrdinalIgnoreCase) { "failing", "down", "error", "unhealthy", "failed" };
    private static readonly HashSet<string> Facts = new(StringComparer.OrdinalIgnoreCase) { "version", "commit", "instanceId", "schemaVersion" };

    /// <returns>The report, or null when the body is not a JSON object.</returns>
    public static ApiHealthReport? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var report = new ApiHealthReport();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var text = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : member.Value.GetRawText();
                switch (member.Name)
                {
                    case "version": report.Version = text; break;
                    case "commit": report.Commit = text; break;
                    case "instanceId": report.InstanceId = text; break;
                    case "schemaVersion": report.SchemaVersion = text; break;
                }
                if (member.Value.ValueKind == JsonValueKind.String && !Facts.Contains(member.Name)
                    && (Healthy.Contains(text) || Failing.Contains(text)))
                {
                    report.Dependencies.Add(new DependencyStatus { Name = member.Name, Status = text, Ok = !Failing.Contains(text) });
                }
            }
            return report;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
