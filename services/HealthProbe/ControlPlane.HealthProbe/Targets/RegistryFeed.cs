using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.State;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.HealthProbe.Targets;

/// <summary>
/// Keeps the targets equal to the Registry's instances: list everything once, then follow WatchInstances
/// from the list's revision (no database poll per probe). On any break it lists again, which also removes
/// instances deregistered meanwhile. App specs are read with the list and refreshed periodically and on
/// AppUpserted events (<see cref="Bus.AppSpecConsumer"/>).
/// </summary>
public sealed class RegistryFeed(
    RegistryClient registry,
    HealthMonitor monitor,
    TransitionWriter writer,
    IOptions<HealthProbeOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RegistryFeed> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stop following as soon as the host begins to stop, not when this service's turn to stop comes: a Registry
        // in the same host (AllInOne) ends every watch at ApplicationStopping, and the feed would otherwise list
        // and watch again in a loop against the stopping server ("the Registry ended the watch", then watches
        // cancelled at once) until the server was gone and its own StopAsync came.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await FollowUntilStoppedAsync(stopping.Token);
        }
        catch (Exception) when (Stopping(stopping.Token))
        {
            // The host is stopping: a watch cancelled by it (RpcException Cancelled) or ended by the Registry beside it
            // is not a failure of the feed.
        }
    }

    private async Task FollowUntilStoppedAsync(CancellationToken stoppingToken)
    {
        await writer.Loaded.Task.WaitAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = await ListAsync(stoppingToken);
                delay = TimeSpan.FromMilliseconds(250);
                await FollowAsync(revision, stoppingToken);
            }
            catch (Exception ex) when (!Stopping(stoppingToken))
            {
                HealthProbeLog.FeedFailed(logger, delay, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>
    /// ApplicationStopping is read directly, not only through the linked token: the Registry's own stopping callback
    /// may end the watch before the callback cancelling the linked token has run, and the feed must not take that
    /// end for a failure (IsCancellationRequested is set before any callback runs).
    /// </summary>
    private bool Stopping(CancellationToken token) => token.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested;

    public async Task RefreshSpecsAsync(CancellationToken cancellationToken)
    {
        var token = "";
        do
        {
            var page = await registry.ListAppsAsync(new ListAppsRequest { PageSize = 1000, PageToken = token }, cancellationToken: cancellationToken);
            foreach (var app in page.Apps)
            {
                monitor.SetSpec(app.Name, app.HealthCheck);
            }
            token = page.NextPageToken;
        }
        while (token.Length > 0);
    }

    private async Task<long> ListAsync(CancellationToken cancellationToken)
    {
        await RefreshSpecsAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var token = "";
        long revision = -1;
        do
        {
            var page = await registry.ListInstancesAsync(
                new ListInstancesRequest { IncludeExpired = true, PageSize = 5000, PageToken = token }, cancellationToken: cancellationToken);
            revision = revision < 0 ? page.Revision : revision;
            foreach (var instance in page.Instances)
            {
                seen.Add(instance.InstanceId);
                monitor.Apply(instance);
            }
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        foreach (var gone in monitor.Targets.Select(t => t.InstanceId).Concat(monitor.PersistedIds).Where(id => !seen.Contains(id)).ToList())
        {
            monitor.Remove(gone);
        }
        HealthProbeLog.FeedListed(logger, seen.Count, monitor.Targets.Select(t => t.App).Distinct().Count(), revision);
        return revision;
    }

    private async Task FollowAsync(long revision, CancellationToken cancellationToken)
    {
        using var refresh = new PeriodicTimer(options.Value.SpecRefreshInterval);
        var refreshing = RefreshPeriodicallyAsync(refresh, cancellationToken);
        using var call = registry.WatchInstances(new WatchInstancesRequest { FromRevision = revision }, cancellationToken: cancellationToken);
        await foreach (var change in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (change.Type == InstanceEventType.Deregistered)
            {
                monitor.Remove(change.Instance.InstanceId);
                continue;
            }
            if (!monitor.HasSpec(change.Instance.App))
            {
                // An app created after the list: read its spec now rather than probing by the defaults until the next refresh.
                var app = await registry.GetAppAsync(new GetAppRequest { Name = change.Instance.App }, cancellationToken: cancellationToken);
                monitor.SetSpec(app.Name, app.HealthCheck);
            }
            monitor.Apply(change.Instance);
        }
        refresh.Dispose();
        await refreshing;
        throw new InvalidOperationException("the Registry ended the watch");
    }

    private async Task RefreshPeriodicallyAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RefreshSpecsAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException)
        {
            // The watch loop starts over and lists (and so refreshes) again.
        }
    }
}
