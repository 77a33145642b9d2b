using ControlPlane.Rollouts.Data;
using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// Drives every active rollout; exactly one replica does (a database lease), and its writes are fenced by the
/// lease. Within one holding it passes over the rollouts repeatedly, woken early by starts, operator commands and
/// Agent answers, then returns so the lease is renewed well inside its TTL.
/// </summary>
public sealed class RolloutDriver(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> controlPlane,
    IOptions<RolloutsOptions> options,
    RolloutSignal signal,
    RolloutSpans spans,
    TimeProvider clock,
    ILogger<RolloutDriver> logger)
    : LeasedJob<RolloutsDbContext>(scopes, database, controlPlane, clock, logger)
{
    private static readonly TimeSpan Holding = TimeSpan.FromSeconds(3);

    protected override string LeaseName => "rollouts-driver";

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    protected override async Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken)
    {
        var until = Clock.GetUtcNow() + Holding;
        while (Clock.GetUtcNow() < until && !cancellationToken.IsCancellationRequested)
        {
            List<string> ids;
            var scopeFactory = services.GetRequiredService<IServiceScopeFactory>();
            await using (var scope = scopeFactory.CreateAsyncScope())
            {
                ids = await scope.ServiceProvider.GetRequiredService<RolloutsDbContext>().Rollouts.AsNoTracking()
                    .Where(r => r.NeedsDriver).OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(cancellationToken);
            }
            spans.Retain(ids);
            RolloutsTelemetry.RetainDriving(ids);
            foreach (var id in ids)
            {
                await AdvanceOneAsync(scopeFactory, id, lease, cancellationToken);
            }
            await signal.WaitAsync(options.Value.PollInterval, cancellationToken);
        }
    }

    private async Task AdvanceOneAsync(IServiceScopeFactory scopeFactory, string id, Lease lease, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<RolloutAdvancer>().AdvanceAsync(id, lease, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An operator command changed the rollout meanwhile: the next pass starts from the fresh state.
        }
        catch (Exception ex) when (ex is not LeaseLostException && !cancellationToken.IsCancellationRequested)
        {
            // One rollout's trouble (e.g. the Registry briefly unreachable) must not stop the others; retried next pass.
            RolloutsLog.PassFailed(logger, id, ex.GetBaseException().Message);
        }
    }
}
