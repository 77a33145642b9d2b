using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Leases;

/// <summary>
/// A background job that exactly one replica runs: each round it takes or renews its lease and, while it holds
/// it, does one round of work. The work fences its writes with the lease (<see cref="LeaseStore.FenceAsync"/>),
/// so a holder that was paused past its expiry cannot act after another took over. A round that runs long (a
/// slow dependency, a loaded machine) keeps the lease by renewing it every third of the TTL meanwhile, and is
/// cancelled as soon as a renewal finds the lease lost.
/// </summary>
public abstract class LeasedJob<TContext>(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> options,
    TimeProvider clock,
    ILogger logger) : BackgroundService
    where TContext : DbContext
{
    protected abstract string LeaseName { get; }

    protected virtual TimeSpan LeaseTtl => TimeSpan.FromSeconds(10);

    protected abstract TimeSpan Interval { get; }

    /// <summary>How soon after the holder's expiry (by this replica's clock) a waiting replica tries to take over.</summary>
    private static readonly TimeSpan TakeoverPoll = TimeSpan.FromMilliseconds(50);

    protected TimeProvider Clock => clock;

    protected abstract Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        Lease? held = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            var wait = Interval;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = scope.ServiceProvider.GetRequiredService<TContext>();
                var lease = await LeaseStore.TryAcquireAsync(context, LeaseName, options.Value.InstanceId, LeaseTtl, clock, stoppingToken);
                if (lease?.Token != held?.Token)
                {
                    ServiceLog.LeaseChanged(logger, LeaseName, options.Value.InstanceId, lease is not null, lease?.Token ?? 0);
                }
                held = lease;
                if (lease is not null)
                {
                    await RunHoldingAsync(scope.ServiceProvider, lease, stoppingToken);
                }
                else
                {
                    wait = await UntilTakeoverAsync(context, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                ServiceLog.LeasedJobFailed(logger, LeaseName, ex.GetBaseException().Message);
            }
            // The holder keeps a fixed rate (its renewals must not drift towards the TTL as rounds get longer).
            var remaining = wait - clock.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, clock, stoppingToken);
            }
        }
    }

    private async Task RunHoldingAsync(IServiceProvider services, Lease lease, CancellationToken stoppingToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewWhileRunningAsync(lease, round);
        try
        {
            await RunOnceAsync(services, lease, round.Token);
        }
        catch (OperationCanceledException) when (round.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The lease was lost mid-round (logged by the renewal): the next round finds out who holds it now.
        }
        finally
        {
            await round.CancelAsync();
            await renewing;
        }
    }

    /// <summary>Renews the lease every third of its TTL until the round ends; cancels the round when it is lost.</summary>
    private async Task RenewWhileRunningAsync(Lease lease, CancellationTokenSource round)
    {
        var every = LeaseTtl / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, round.Token);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var renewed = await LeaseStore.TryAcquireAsync(scope.ServiceProvider.GetRequiredService<TContext>(), LeaseName,
                        options.Value.InstanceId, LeaseTtl, clock, round.Token);
                    if (renewed?.Token != lease.Token)
                    {
                        ServiceLog.LeaseChanged(logger, LeaseName, options.Value.InstanceId, false, lease.Token);
                        await round.CancelAsync();
                        return;
                    }
                }
                catch (Exception ex) when (!round.IsCancellationRequested)
                {
                    // The database may be back before the lease runs out; the work's writes are fenced meanwhile.
                    ServiceLog.LeasedJobFailed(logger, LeaseName, ex.GetBaseException().Message);
                }
            }
        }
        catch (OperationCanceledException) when (round.IsCancellationRequested)
        {
            // The round ended.
        }
    }

    /// <summary>
    /// A replica waiting for the lease tries again right when the holder's expiry passes rather than at its next
    /// round, so a dead holder is replaced within the TTL (plus a poll) whatever the job's interval.
    /// </summary>
    private async Task<TimeSpan> UntilTakeoverAsync(TContext context, CancellationToken cancellationToken)
    {
        var expiry = await LeaseStore.ExpiresAtAsync(context, LeaseName, cancellationToken);
        if (expiry is null)
        {
            return TakeoverPoll;
        }
        var untilExpiry = expiry.Value - clock.GetUtcNow() + TakeoverPoll;
        return untilExpiry < TakeoverPoll ? TakeoverPoll : untilExpiry < Interval ? untilExpiry : Interval;
    }
}
