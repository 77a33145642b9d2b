using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// The operator's side of the <c>registry</c> scenario's ListInstances measurement, run as a process of its own as
/// cpctl or a dashboard would be: one page of a whole app, again and again, then one line "RESULT p50 p99 max calls".
/// The first calls are a warm-up (this process's JIT, the server's first read) and are not counted.
/// </summary>
public sealed class ListClientScenario : IBenchScenario
{
    public const int WarmUpCalls = 10;

    public string Name => "list-client";

    public string Description => "(run by `registry`) --url URL --app bench --expect 10000 --calls 200";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var expect = options.Int("expect", 10_000);
        var calls = options.Int("calls", 200);
        using var channel = TestCredentials.Channel(options.Get("url", ""));
        var registry = new RegistryClient(channel);
        var request = new ListInstancesRequest { App = options.Get("app", "bench"), PageSize = expect };
        var latencies = new List<double>(calls);
        for (var i = 0; i < WarmUpCalls + calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await registry.ListInstancesAsync(request, cancellationToken: cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (page.Instances.Count != expect)
            {
                throw new InvalidOperationException($"listed {page.Instances.Count} instances, expected {expect}");
            }
            if (i >= WarmUpCalls)
            {
                latencies.Add(elapsed);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {Percentiles.Of(latencies, 0.5)} {Percentiles.Of(latencies, 0.99)} {latencies.Max()} {latencies.Count}"));
        return 0;
    }
}
