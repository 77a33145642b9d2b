using System.Globalization;
using ControlPlane.Testing;
using Grpc.Net.Client;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// A Registry replica as it is deployed: its own process (`ControlPlane.Registry.Host`), its own GC and thread pool,
/// reached over a real gRPC channel. Disposing kills the process this object started.
/// </summary>
public sealed class RegistryReplica : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private RegistryReplica(ServiceProcess process)
    {
        _process = process;
        Channel = TestCredentials.Channel(process.GrpcUrl);
    }

    public GrpcChannel Channel { get; }

    public string Output => _process.Output;

    /// <summary>Starts replicas named <paramref name="ids"/> on one database and broker, and waits until each is ready.</summary>
    public static async Task<List<RegistryReplica>> StartAsync(IEnumerable<string> ids, string connectionString, string rabbitMq)
    {
        var replicas = ids.Select(id => new RegistryReplica(StartProcess(id, connectionString, rabbitMq))).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r._process.WaitUntilReadyAsync(TimeSpan.FromMinutes(2))));
            return replicas;
        }
        catch
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>One replica's process in HA mode, not yet ready.</summary>
    public static ServiceProcess StartProcess(string id, string connectionString, string rabbitMq) =>
        ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ControlPlane__InstanceId"] = id,
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ConnectionStrings__RabbitMq"] = rabbitMq,
            ["Logging__LogLevel__Default"] = "Warning",
        });

    /// <summary>
    /// The process's garbage collections so far, from its own /metrics (the runtime's counters); null when it exports
    /// none (OTEL_SDK_DISABLED), rather than zeros that would read as "no collections".
    /// </summary>
    public async Task<GcTotals?> GcAsync()
    {
        var text = await _process.Http.GetStringAsync("/metrics");
        if (!text.Contains("dotnet_gc_collections_total", StringComparison.Ordinal))
        {
            return null;
        }
        double Sum(string name, string label = "")
        {
            return text.Split('\n')
                .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
                // "name{labels} value [timestamp]"
                .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        }
        return new GcTotals(
            (int)Sum("dotnet_gc_collections_total", "\"gen0\""),
            (int)Sum("dotnet_gc_collections_total", "\"gen1\""),
            (int)Sum("dotnet_gc_collections_total", "\"gen2\""),
            TimeSpan.FromSeconds(Sum("dotnet_gc_pause_time_seconds_total")));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _process.DisposeAsync();
    }
}

/// <summary>Collections by generation and the time the process was paused for them.</summary>
public sealed record GcTotals(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    /// <summary>Counted like the runtime's metric: each collection once, under the oldest generation it collected.</summary>
    public static GcTotals OfThisProcess() =>
        new(GC.CollectionCount(0) - GC.CollectionCount(1), GC.CollectionCount(1) - GC.CollectionCount(2), GC.CollectionCount(2),
            GC.GetTotalPauseDuration());

    /// <summary>What happened between two readings, or why it is not known.</summary>
    public static string Between(GcTotals? start, GcTotals? end) => start is null || end is null
        ? "not in its /metrics (telemetry off?)"
        : new GcTotals(end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.Paused - start.Paused).ToString();

    public override string ToString() => $"{Gen0} gen0, {Gen1} gen1, {Gen2} gen2, paused {Paused.TotalMilliseconds:F0} ms in all";
}
