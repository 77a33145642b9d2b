using System.Diagnostics;
using ControlPlane.HealthProbe.State;
using ControlPlane.HealthProbe.Targets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>
/// Runs every target's rounds at its app's interval, at a fixed rate (a round's start, not its end, sets the
/// next one), spread over the interval so 10,000 targets do not all fire in the same millisecond. A target
/// whose round is still running is skipped rather than probed twice; when MaxConcurrentProbes rounds run,
/// due rounds wait.
/// </summary>
public sealed class ProbeScheduler(
    HealthMonitor monitor,
    InstanceProber prober,
    TransitionWriter writer,
    IOptions<HealthProbeOptions> options) : BackgroundService
{
    private readonly PriorityQueue<ProbeTarget, long> _due = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Loaded.Task.WaitAsync(stoppingToken);
        using var running = new SemaphoreSlim(options.Value.MaxConcurrentProbes);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = NowMs();
            while (monitor.Added.TryDequeue(out var added))
            {
                // New targets are first checked within a second, spread so a bulk registration does not fire at once.
                _due.Enqueue(added, now + Random.Shared.NextInt64(Math.Min(IntervalMs(added), 1000)));
            }
            while (_due.TryPeek(out var target, out var due) && due <= now)
            {
                _due.Dequeue();
                if (target.Removed)
                {
                    continue;
                }
                _due.Enqueue(target, Math.Max(due + IntervalMs(target), now));
                var plan = monitor.Owns(target) ? target.PlanRound() : null;
                if (plan is null || Interlocked.CompareExchange(ref target.InFlight, 1, 0) != 0)
                {
                    continue;
                }
                await running.WaitAsync(stoppingToken);
                _ = RunRoundAsync(target, plan, running, stoppingToken);
            }
            var wait = _due.TryPeek(out _, out var next) ? Math.Clamp(next - NowMs(), 1, 50) : 50;
            await Task.Delay(TimeSpan.FromMilliseconds(wait), stoppingToken);
        }
    }

    private async Task RunRoundAsync(ProbeTarget target, ProbeTarget.Plan plan, SemaphoreSlim running, CancellationToken cancellationToken)
    {
        try
        {
            var checks = await prober.ProbeAsync(plan, cancellationToken);
            monitor.Record(target, checks);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A round that could not even be attempted counts as failed, with the reason, rather than vanishing.
            monitor.Record(target, [new EndpointCheck(Api.V1.ProbeEndpointKind.Readiness, plan.Address,
                Api.V1.ProbeOutcome.ConnectionFailed, 0, TimeSpan.Zero, ex.GetBaseException().Message)]);
        }
        finally
        {
            Volatile.Write(ref target.InFlight, 0);
            running.Release();
        }
    }

    private static long IntervalMs(ProbeTarget target) => Math.Max(1, (long)target.Spec.Interval.ToTimeSpan().TotalMilliseconds);

    private static long NowMs() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;
}
