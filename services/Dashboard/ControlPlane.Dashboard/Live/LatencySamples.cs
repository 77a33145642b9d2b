using System.Text.Json;
using ControlPlane.Api.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Dashboard.Live;

/// <summary>
/// Probe latency per instance for the chart. WatchHealth sends changes of state only, never each probe, so this is
/// the one feed that reads: the app's health once per probe interval, only while a page shows the chart, and a
/// point only for instances probed again since the last one. (A live-only probe event on WatchHealth, like
/// WatchBackups' PROGRESS, would remove it.)
/// </summary>
public static class LatencySamples
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(HttpContext context, DashboardClients c, string app)
    {
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var writer = new EventStreamWriter(context.Response);
        var seen = new Dictionary<string, DateTime>();
        try
        {
            var spec = (await c.Registry.GetAppAsync(new GetAppRequest { Name = app }, c.Call)).HealthCheck;
            var interval = spec?.Interval?.ToTimeSpan() is { } i && i > MinInterval ? i : MinInterval;
            await writer.StartAsync(0, stop.Token);
            using var timer = new PeriodicTimer(interval);
            do
            {
                var health = await c.Health.ListHealthAsync(new ListHealthRequest { App = app, PageSize = 10000 }, c.Watch(stop.Token));
                var points = health.Instances.Where(h => h.LastCheckedAt is not null && h.Endpoints.Count > 0)
                    .Where(h => !seen.TryGetValue(h.InstanceId, out var at) || at != h.LastCheckedAt.ToDateTime())
                    .Select(h =>
                    {
                        seen[h.InstanceId] = h.LastCheckedAt.ToDateTime();
                        // Endpoints of this round only: /livez is checked only while an instance fails, and its old result stays.
                        var round = h.Endpoints.Where(e => e.CheckedAt == h.LastCheckedAt).DefaultIfEmpty(h.Endpoints[0]).ToList();
                        var failed = round.Any(e => e.Outcome != ProbeOutcome.Ok);
                        return new
                        {
                            instance = h.InstanceId,
                            at = h.LastCheckedAt.ToDateTime(),
                            // The slowest endpoint of the check: what a caller waiting on the instance would feel.
                            ms = round.Max(e => e.Latency?.ToTimeSpan().TotalMilliseconds ?? 0),
                            failed,
                        };
                    }).ToList();
                if (points.Count > 0)
                {
                    await writer.WriteAsync("latency", JsonSerializer.Serialize(points), null, stop.Token);
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException ex)
        {
            if (!context.Response.HasStarted)
            {
                await writer.StartAsync(0, CancellationToken.None);
            }
            await writer.WriteAsync("failed", JsonSerializer.Serialize(new { status = ex.StatusCode.ToString(), detail = ex.Status.Detail }), null, CancellationToken.None);
        }
    }
}
