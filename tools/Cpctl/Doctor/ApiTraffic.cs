using System.Globalization;
using System.Text.RegularExpressions;

namespace ControlPlane.Cpctl.Doctor;

/// <summary>
/// API requests a replica served since it started, read from the standard ASP.NET Core request counter on
/// /metrics. Health checks and scrapes are left out: every replica gets those whatever the load balancer does.
/// </summary>
public sealed partial record ApiTraffic(long Requests, long ServerErrors)
{
    private const string Counter = "http_server_request_duration_seconds_count";

    private static readonly string[] NotTraffic = ["/livez", "/readyz", "/api/health", "/metrics", "/grpc.health.v1.", "/grpc.reflection."];

    public static ApiTraffic FromPrometheus(string text)
    {
        long requests = 0, errors = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(Counter + "{", StringComparison.Ordinal))
            {
                continue;
            }
            var close = line.LastIndexOf('}');
            var labels = Label().Matches(line[..close]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            var value = line[(close + 1)..].Trim().Split(' ')[0];
            if (!labels.TryGetValue("http_route", out var route) || NotTraffic.Any(route.StartsWith)
                || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }
            requests += (long)count;
            if (labels.TryGetValue("http_response_status_code", out var code) && code.StartsWith('5'))
            {
                errors += (long)count;
            }
        }
        return new ApiTraffic(requests, errors);
    }

    [GeneratedRegex("""(\w+)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();
}
