using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// DESIGN §12 "CPU per probe at most half of Prometheus blackbox_exporter's", side by side in one run, and
/// "10,000 targets at a 1 s interval on 2 cores". The same N targets (one serve-targets process) probed once a second
/// by ours — HealthProbe as a real process, fed by a Registry process, on SQLite (PostgreSQL with --postgres) — and by a blackbox_exporter
/// driven at that rate. Each prober's CPU is its own process's, from /proc. Ours is paused (SIGSTOP) while the peer
/// is measured, so the two never share the cores within a round.
/// </summary>
public sealed class CompareProbesScenario : IBenchScenario
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(900);

    public string Name => "compare-probes";

    public string Description => "HealthProbe vs blackbox_exporter CPU per 1,000 probes (goal <= 0.5x), then --sustain N targets (--rounds 0: only --targets sustained): --targets 1000 --seconds 15 --rounds 3 --settle 3 [--sustain 10000] [--postgres [ADMIN-CONN]]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        // SQLite by default, as a single-instance deployment runs: registering is several times faster than on
        // PostgreSQL (~50/s here), which is what makes --sustain 10000 fit in a short run. "--postgres" for PostgreSQL.
        var admin = options.Get("postgres", "");
        await using var database = options.Has("postgres")
            ? await ScratchDatabase.CreateAsync(admin.Length == 0 || admin.StartsWith("--", StringComparison.Ordinal) ? BackingServices.Postgres : admin, cancellationToken)
            : null;
        var folder = Directory.CreateTempSubdirectory("cp-bench-probes-").FullName;
        try
        {
            return await RunAsync(options, database, folder, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunAsync(BenchArgs options, ScratchDatabase? database, string folder, CancellationToken cancellationToken)
    {
        var count = options.Int("targets", 1000);
        var window = options.Seconds("seconds", 15);
        var settle = options.Seconds("settle", 3);
        var rounds = Math.Max(0, options.Int("rounds", 3));
        var sustain = options.Int("sustain", 0);
        string ConnectionString(string service) => database?.ConnectionString ?? $"Data Source={Path.Combine(folder, service + ".db")}";
        // "--rounds 0": no comparison, only whether ours sustains --targets (the exporter is not started).
        await using var blackbox = rounds > 0 ? await BlackboxExporter.StartAsync(Timeout, cancellationToken) : null;
        await using var targets = await TargetServer.StartAsync(64);
        await using var registry = await StartAsync("ControlPlane.Registry.Host", ConnectionString("registry"), new() { ["OTEL_SDK_DISABLED"] = "true" });
        using var registryChannel = TestCredentials.Channel(registry.GrpcUrl);
        var registryClient = new RegistryClient(registryChannel);
        await registryClient.UpsertAppAsync(new UpsertAppRequest
        {
            App = new App
            {
                Name = "bench",
                HealthCheck = new HealthCheckSpec { Interval = Duration.FromTimeSpan(Interval), Timeout = Duration.FromTimeSpan(Timeout), Rise = 1, Fall = 3 },
            },
        }, cancellationToken: cancellationToken);
        await RegisterAsync(registryClient, targets, 0, count, cancellationToken);

        // Its telemetry as deployed without a collector: the SDK on, metrics for /metrics (where its probe-round
        // counter is read), nothing exported.
        await using var prober = await StartAsync("ControlPlane.HealthProbe.Host", ConnectionString("healthprobe"), new() { ["HealthProbe__RegistryUrl"] = registry.GrpcUrl });
        using var proberChannel = TestCredentials.Channel(prober.GrpcUrl);
        var health = new HealthProbeClient(proberChannel);
        await WaitUntilHealthyAsync(health, count, cancellationToken);
        // Unmeasured: HealthProbe's first transitions written, its JIT (tiered, so tens of seconds) and connection
        // pools warm before round 1; the exporter warms in each round's settling.
        await Task.Delay(settle * 2 + TimeSpan.FromSeconds(10), cancellationToken);
        if (blackbox is null)
        {
            await SustainAsync(registryClient, health, prober, targets, count, count, settle, window, cancellationToken);
            return 0;
        }
        Console.WriteLine($"compare-probes: {count} targets at a {Interval.TotalSeconds:0} s interval, timeout {Timeout.TotalMilliseconds:0} ms, " +
            $"{window.TotalSeconds:0} s windows after {settle.TotalSeconds:0} s to settle, {rounds} rounds, {Environment.ProcessorCount} cores; " +
            $"HealthProbe pid {prober.Id} and Registry on {(database is null ? "SQLite" : "PostgreSQL")}, blackbox_exporter pid {blackbox.Process.Id}");

        var cpu = new Comparison("CPU-s per 1,000 probes", "CPU-s", higherIsBetter: false, goal: 0.5);
        var perCheck = new Comparison("CPU-s per 1,000 HTTP requests", "CPU-s", higherIsBetter: false, goal: null);
        var rate = new Comparison("probes/s", "/s", higherIsBetter: true, goal: null);
        var peerUrls = Enumerable.Range(0, count).Select(i => $"{TargetUrl(targets, i)}readyz").ToList();
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                if (round > 1)
                {
                    await ResumeAsync(prober, count, settle, cancellationToken);
                }
                var ours = await MeasureOursAsync(prober, window, cancellationToken);
                await prober.SignalAsync("STOP");
                var peer = await MeasurePeerAsync(blackbox, peerUrls, settle, window, cancellationToken);
                cpu.Add(round, ours.CpuPerThousand, peer.CpuPerThousand, ours.Detail, peer.Detail);
                // Ours asks two URLs of a healthy instance each round (/readyz and /api/health, its JSON parsed); the
                // exporter's http_2xx one (/readyz).
                perCheck.Add(round, ours.CpuPerThousand / 2, peer.CpuPerThousand);
                rate.Add(round, ours.PerSecond, peer.PerSecond);
            }
        }
        finally
        {
            await prober.SignalAsync("CONT");
        }
        Console.WriteLine();
        var met = cpu.Report("blackbox_exporter");
        perCheck.Report("blackbox_exporter");
        rate.Report("blackbox_exporter");
        Console.WriteLine("  (a probe: one round of ours, GET /readyz and /api/health with its JSON read, connections kept; one /probe of the exporter's, " +
            "a GET /readyz on a new connection, as blackbox_exporter does)");

        if (sustain > count)
        {
            await SustainAsync(registryClient, health, prober, targets, count, sustain, settle, window, cancellationToken);
        }
        return met ? 0 : 1;
    }

    /// <summary>
    /// Resumes ours after the peer's turn. Its scheduler keeps a fixed rate, so it first runs the rounds it missed while
    /// paused, back to back; measuring starts once a second holds no more than the interval's share again, and
    /// <paramref name="settle"/> after that.
    /// </summary>
    private static async Task ResumeAsync(ServiceProcess prober, int count, TimeSpan settle, CancellationToken cancellationToken)
    {
        await prober.SignalAsync("CONT");
        var clock = Stopwatch.StartNew();
        var last = await ProbeRoundsAsync(prober);
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(Interval, cancellationToken);
            var now = await ProbeRoundsAsync(prober);
            if (now - last <= count * 1.05)
            {
                break;
            }
            last = now;
        }
        Console.WriteLine($"  HealthProbe resumed: caught up with its missed rounds in {clock.Elapsed.TotalSeconds:F0} s");
        await Task.Delay(settle, cancellationToken);
    }

    private static async Task<(double PerSecond, double CpuPerThousand, string Detail)> MeasureOursAsync(ServiceProcess prober, TimeSpan window, CancellationToken cancellationToken)
    {
        var roundsBefore = await ProbeRoundsAsync(prober);
        var cpuBefore = ProcessCpu.Seconds(prober.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        var cpu = ProcessCpu.Seconds(prober.Id) - cpuBefore;
        var elapsed = clock.Elapsed.TotalSeconds;
        var probes = await ProbeRoundsAsync(prober) - roundsBefore;
        return (probes / elapsed, cpu * 1000 / Math.Max(1, probes),
            Invariant($"{probes / elapsed:F0} probes/s, {cpu / elapsed:F2} cores, RSS {ProcessCpu.RssMb(prober.Id)} MB"));
    }

    private static async Task<(double PerSecond, double CpuPerThousand, string Detail)> MeasurePeerAsync(
        BlackboxExporter blackbox, IReadOnlyList<string> targets, TimeSpan settle, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var driver = new BlackboxDriver(blackbox.Url, targets, Interval, maxConcurrent: 2000);
        await Task.Delay(settle, cancellationToken);
        var (passedBefore, failedBefore, lateBefore) = (driver.Passed, driver.Failed, driver.Late);
        var cpuBefore = blackbox.Process.CpuSeconds;
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        var cpu = blackbox.Process.CpuSeconds - cpuBefore;
        var elapsed = clock.Elapsed.TotalSeconds;
        var (passed, failed, late) = (driver.Passed - passedBefore, driver.Failed - failedBefore, driver.Late - lateBefore);
        // Only probes that passed count: a failed one (timed out, refused) is not work a prober can be credited with.
        return (passed / elapsed, cpu * 1000 / Math.Max(1, passed),
            Invariant($"{passed / elapsed:F0} passed/s, {failed} failed, {late} sent late, {cpu / elapsed:F2} cores, RSS {ProcessCpu.RssMb(blackbox.Process.Id)} MB"));
    }

    /// <summary>More targets, up to <paramref name="sustain"/>, on the same HealthProbe: does it keep up with all of them each second?</summary>
    private static async Task SustainAsync(RegistryClient registry, HealthProbeClient health, ServiceProcess prober, TargetServer targets,
        int from, int sustain, TimeSpan settle, TimeSpan window, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        if (sustain > from)
        {
            await RegisterAsync(registry, targets, from, sustain, cancellationToken);
        }
        await WaitUntilHealthyAsync(health, sustain, cancellationToken);
        await Task.Delay(settle, cancellationToken);
        var targetCpuBefore = targets.Cpu;
        var ours = await MeasureOursAsync(prober, window, cancellationToken);
        var targetCores = (targets.Cpu - targetCpuBefore).TotalSeconds / window.TotalSeconds;
        var summary = (await health.ListHealthAsync(new ListHealthRequest { App = "bench", PageSize = 1 }, cancellationToken: cancellationToken)).Summary;
        var sustained = ours.PerSecond >= 0.99 * sustain && summary.Healthy == sustain;
        Console.WriteLine(Invariant($"sustain {sustain} targets at 1 s: ours {ours.PerSecond:F0} probes/s of {sustain}/s ({ours.PerSecond / sustain * 100:F1}%), {ours.CpuPerThousand:F3} CPU-s per 1,000 probes, {ours.Detail}; healthy {summary.Healthy}/{sustain}; target server {targetCores:F2} cores"));
        Console.WriteLine($"  goal: {sustain} targets at 1 s on {Environment.ProcessorCount} cores (>= 99% of the rounds due, all HEALTHY): {(sustained ? "MET" : "NOT MET")}");
    }

    private static async Task<ServiceProcess> StartAsync(string assembly, string connectionString, Dictionary<string, string> environment)
    {
        environment["ConnectionStrings__ControlPlane"] = connectionString;
        environment["Logging__LogLevel__Default"] = "Warning";
        var process = ServiceProcess.Start(assembly, environment);
        try
        {
            await process.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static async Task RegisterAsync(RegistryClient registry, TargetServer targets, int from, int to, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
            await registry.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"t-{i}",
                App = "bench",
                Address = TargetUrl(targets, i),
                Version = "1.0",
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            }, cancellationToken: ct));
        Console.WriteLine($"  {to - from} instances registered in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string TargetUrl(TargetServer targets, int i) => $"http://127.0.0.1:{targets.Ports[i % targets.Ports.Count]}/t/{i}/";

    private static async Task WaitUntilHealthyAsync(HealthProbeClient health, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int healthy;
        while ((healthy = (await health.ListHealthAsync(new ListHealthRequest { App = "bench", PageSize = 1 }, cancellationToken: cancellationToken)).Summary.Healthy) < count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                Console.WriteLine($"  only {healthy}/{count} targets HEALTHY after 2 min; measuring anyway");
                return;
            }
            await Task.Delay(500, cancellationToken);
        }
        Console.WriteLine($"  all {count} targets HEALTHY after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>HealthProbe's probe rounds so far (all verdicts), from its /metrics.</summary>
    private static async Task<long> ProbeRoundsAsync(ServiceProcess prober)
    {
        var text = await prober.Http.GetStringAsync("/metrics");
        var lines = text.Split('\n').Where(l => l.StartsWith("controlplane_probe_rounds_total", StringComparison.Ordinal)).ToList();
        if (lines.Count == 0)
        {
            throw new InvalidOperationException("HealthProbe's /metrics has no controlplane_probe_rounds_total (telemetry disabled?)");
        }
        // "name{labels} value [timestamp]"
        return (long)lines.Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
