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
    /// <summary>
    /// The modes to run, in order. "--rounds N" repeats them, off-on then on-off (ABBA), so that a load that comes and
    /// goes on a shared machine, or a machine that warms up over the run, falls on both alike; costs are then judged
    /// on the medians.
    /// </summary>
    public static IEnumerable<bool> Modes(BenchArgs options)
    {
        bool[] modes = options.Get("telemetry", "off") switch
        {
            "on" => [true],
            "both" => [false, true],
            _ => [false],
        };
        return Enumerable.Range(0, Math.Max(1, options.Int("rounds", 1))).SelectMany(round => round % 2 == 0 ? modes : modes.Reverse());
    }

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
    public static void ReportCost(string measure, IReadOnlyDictionary<bool, List<double>> byMode, bool higherIsBetter)
    {
        if (!byMode.TryGetValue(false, out var offs) || !byMode.TryGetValue(true, out var ons) || offs.Count == 0 || ons.Count == 0)
        {
            return;
        }
        var (off, on) = (Percentiles.Of(offs, 0.5), Percentiles.Of(ons, 0.5));
        var cost = off == 0 ? 0 : (higherIsBetter ? off - on : on - off) / off * 100;
        Console.WriteLine($"telemetry cost on {measure}: {cost:+0.0;-0.0;0.0}% (median of {offs.Count} off {off:0.###}, of {ons.Count} on {on:0.###}; target under 10%)");
    }

    /// <summary>Adds one measurement of a mode.</summary>
    public static void Add(Dictionary<bool, List<double>> byMode, bool on, double value)
    {
        if (!byMode.TryGetValue(on, out var values))
        {
            byMode[on] = values = [];
        }
        values.Add(value);
    }
}
