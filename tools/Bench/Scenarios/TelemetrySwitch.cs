using ControlPlane.Testing;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// "--telemetry off|on|both". "off": the OpenTelemetry SDK disabled (OTEL_SDK_DISABLED=true: no spans, no metric
/// aggregation, no log export), the baseline. "on": everything a production replica does, traces, metrics and logs
/// exported over OTLP to a receiver in this process, as they would go to Jaeger. With "both", in one run, the
/// scenario then reports what telemetry costs (issue 7's target: under 10%).
/// </summary>
public static class TelemetrySwitch
{
    public static IEnumerable<bool> Modes(BenchArgs options) => options.Get("telemetry", "off") switch
    {
        "on" => [true],
        "both" => [false, true],
        _ => [false],
    };

    public static async Task<(Dictionary<string, string?> Settings, IAsyncDisposable? Receiver)> SettingsAsync(bool on)
    {
        var settings = new Dictionary<string, string?>();
        if (!on)
        {
            settings["OTEL_SDK_DISABLED"] = "true";
            return (settings, null);
        }
        var receiver = await OtlpReceiver.StartAsync();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
        return (settings, receiver);
    }

    public static string Label(bool on) => on ? "telemetry on " : "telemetry off";

    /// <summary>
    /// Prints what turning telemetry on cost on one measure, as a share of the "off" value; nothing when only one
    /// mode ran. <paramref name="higherIsBetter"/>: throughput (a drop is the cost) or a per-operation cost (a rise is).
    /// </summary>
    public static void ReportCost(string measure, IReadOnlyDictionary<bool, double> byMode, bool higherIsBetter)
    {
        if (!byMode.TryGetValue(false, out var off) || !byMode.TryGetValue(true, out var on) || off == 0)
        {
            return;
        }
        var cost = (higherIsBetter ? off - on : on - off) / off * 100;
        Console.WriteLine($"telemetry cost on {measure}: {cost:+0.0;-0.0;0.0}% (off {off:0.###}, on {on:0.###}; target under 10%)");
    }
}
