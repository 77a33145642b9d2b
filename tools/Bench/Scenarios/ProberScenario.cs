using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPlane.Api.V1;
using ControlPlane.HealthProbe;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 "10,000 targets at a 1 s interval on 2 cores": N targets served by one Kestrel process, probed by
/// the real HealthProbe (fed by the real Registry, in this process). Reports probe rounds per second, the CPU
/// seconds this process spent per 1,000 rounds (a round is /readyz + /api/health) and its memory.
/// </summary>
public sealed class ProberScenario : IBenchScenario
{
    public string Name => "prober";

    public string Description => "HealthProbe throughput and CPU per probe: --targets 1000,10000 --seconds 30 [--telemetry off|on|both] [--rounds N]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var counts = options.Get("targets", "1000,10000").Split(',').Select(int.Parse).ToList();
        var window = options.Seconds("seconds", 30);
        Console.WriteLine($"prober benchmark: interval 1 s, timeout 0.9 s, measured over {window.TotalSeconds:0} s after all targets are HEALTHY, {Environment.ProcessorCount} cores");
        var throughput = counts.ToDictionary(c => c, _ => new Dictionary<bool, List<double>>());
        var cpuPerProbe = counts.ToDictionary(c => c, _ => new Dictionary<bool, List<double>>());
        foreach (var telemetry in TelemetrySwitch.Modes(options))
        {
            foreach (var count in counts)
            {
                var (perSecond, cpu) = await RunOnceAsync(count, window, telemetry, cancellationToken);
                TelemetrySwitch.Add(throughput[count], telemetry, perSecond);
                TelemetrySwitch.Add(cpuPerProbe[count], telemetry, cpu);
            }
        }
        foreach (var count in counts)
        {
            TelemetrySwitch.ReportCost($"probes/s at N={count}", throughput[count], higherIsBetter: true);
            TelemetrySwitch.ReportCost($"CPU per probe at N={count}", cpuPerProbe[count], higherIsBetter: false);
        }
        return 0;
    }

    /// <returns>Probe rounds per second, and CPU seconds per 1,000 rounds.</returns>
    private static async Task<(double PerSecond, double CpuPerThousand)> RunOnceAsync(int count, TimeSpan window, bool telemetry, CancellationToken cancellationToken)
    {
        await using var targets = await TargetServer.StartAsync(Math.Min(count, 64));
        var (settings, receiver) = await TelemetrySwitch.SettingsAsync(telemetry);
        await using var exporter = receiver;
        await using var host = await InProcessHost.StartAsync(b => b.AddRegistry().AddHealthProbe(), a => a.MapRegistry().MapHealthProbe(), settings);
        var registry = new RegistryClient(host.Channel);
        var health = new HealthProbeClient(host.Channel);
        await registry.UpsertAppAsync(new UpsertAppRequest
        {
            App = new App
            {
                Name = "bench",
                HealthCheck = new HealthCheckSpec { Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)), Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(900)), Rise = 1, Fall = 3 },
            },
        }, cancellationToken: cancellationToken);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            await registry.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"t-{i}",
                App = "bench",
                Address = $"http://127.0.0.1:{targets.Ports[i % targets.Ports.Count]}/t/{i}/",
                Version = "1.0",
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            }, cancellationToken: ct));

        var warmup = Stopwatch.StartNew();
        while ((await health.ListHealthAsync(new ListHealthRequest { App = "bench", PageSize = 1 }, cancellationToken: cancellationToken)).Summary.Healthy < count)
        {
            if (warmup.Elapsed > TimeSpan.FromMinutes(2))
            {
                Console.WriteLine($"N={count}: not every target HEALTHY within 2 min");
                break;
            }
            await Task.Delay(500, cancellationToken);
        }
        var ready = warmup.Elapsed;

        using var rounds = new RoundCounter();
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var targetCpuBefore = targets.Cpu;
        var clock = Stopwatch.StartNew();
        rounds.Reset();
        await Task.Delay(window, cancellationToken);
        var elapsed = clock.Elapsed;
        var measured = rounds.Value;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        var targetCpu = (targets.Cpu - targetCpuBefore).TotalSeconds;
        var summary = (await health.ListHealthAsync(new ListHealthRequest { App = "bench", PageSize = 1 }, cancellationToken: cancellationToken)).Summary;

        Console.WriteLine(
            $"{TelemetrySwitch.Label(telemetry)} N={count,6}: {measured / elapsed.TotalSeconds,8:F0} probes/s (expected {count}/s), " +
            $"prober CPU {cpu / elapsed.TotalSeconds:F2} cores = {cpu * 1000 / Math.Max(1, measured):F3} CPU-s per 1,000 probes, " +
            $"target server CPU {targetCpu / elapsed.TotalSeconds:F2} cores, " +
            $"RSS {self.WorkingSet64 / 1048576} MB, GC heap {GC.GetTotalMemory(false) / 1048576} MB, " +
            $"healthy {summary.Healthy}/{count}, all healthy after {ready.TotalSeconds:F1} s");
        return (measured / elapsed.TotalSeconds, cpu * 1000 / Math.Max(1, measured));
    }

    /// <summary>Counts finished probe rounds from HealthProbe's own metric.</summary>
    private sealed class RoundCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _value;

        public RoundCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HealthProbeTelemetry.MeterName && instrument.Name == "controlplane.probe.rounds")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _value, value));
            _listener.Start();
        }

        public long Value => Interlocked.Read(ref _value);

        public void Reset() => Interlocked.Exchange(ref _value, 0);

        public void Dispose() => _listener.Dispose();
    }
}
