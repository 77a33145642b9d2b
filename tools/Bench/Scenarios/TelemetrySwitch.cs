using ControlPlane.Testing;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// "--telemetry off|on|both": with "on", the host under test exports over OTLP (traces, metrics, logs) to a
/// receiver in this process, as it would to Jaeger, so the cost of telemetry shows in the same run.
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
            return (settings, null);
        }
        var receiver = await OtlpReceiver.StartAsync();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
        return (settings, receiver);
    }

    public static string Label(bool on) => on ? "telemetry on " : "telemetry off";
}
