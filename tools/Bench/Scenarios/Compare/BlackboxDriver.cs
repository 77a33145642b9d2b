using System.Diagnostics;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// What Prometheus does to a blackbox_exporter, at the rate our prober keeps by itself: every target's
/// /probe?target=…&amp;module=http_2xx once per interval, spread evenly over it (target k at k/N of each interval),
/// with at most <c>maxConcurrent</c> outstanding (back-pressure, as HealthProbe's MaxConcurrentProbes). Counts the
/// probes that passed (probe_success 1) and those that did not. Runs in the bench's process: only the exporter's own
/// CPU is measured.
/// </summary>
public sealed class BlackboxDriver : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string[] _urls;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _gate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _passed;
    private long _failed;
    private long _late;
    private int _inFlight;

    public BlackboxDriver(string exporterUrl, IReadOnlyList<string> targets, TimeSpan interval, int maxConcurrent)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConcurrent, UseProxy = false })
        {
            BaseAddress = new Uri(exporterUrl),
            Timeout = TimeSpan.FromSeconds(10),
        };
        _urls = targets.Select(t => $"/probe?module=http_2xx&target={Uri.EscapeDataString(t)}").ToArray();
        _interval = interval;
        _gate = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _loop = Task.Run(RunAsync);
    }

    public long Passed => Interlocked.Read(ref _passed);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Probes sent later than their turn because maxConcurrent were outstanding: the exporter fell behind.</summary>
    public long Late => Interlocked.Read(ref _late);

    private async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var due = (long)(clock.Elapsed.TotalSeconds / _interval.TotalSeconds * _urls.Length);
                for (; sent < due; sent++)
                {
                    if (!_gate.Wait(0))
                    {
                        Interlocked.Increment(ref _late);
                        await _gate.WaitAsync(_stop.Token);
                    }
                    Interlocked.Increment(ref _inFlight);
                    _ = ProbeAsync(_urls[sent % _urls.Length]);
                }
                await Task.Delay(5, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync(string url)
    {
        try
        {
            var body = await _http.GetStringAsync(url, _stop.Token);
            Interlocked.Increment(ref body.Contains("\nprobe_success 1", StringComparison.Ordinal) ? ref _passed : ref _failed);
        }
        catch (Exception) when (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException)
        {
            // Stopping: neither passed nor failed.
        }
        finally
        {
            _gate.Release();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        for (var i = 0; i < 100 && Volatile.Read(ref _inFlight) > 0; i++)
        {
            await Task.Delay(50);
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
