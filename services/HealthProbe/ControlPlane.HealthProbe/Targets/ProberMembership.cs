using ControlPlane.HealthProbe.Data;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.Targets;

/// <summary>
/// Which prober replicas are alive, so targets can be shared out between them (DESIGN §2). Each replica holds
/// a short lease named "prober:{id}" in the leases table and renews it every second; the live members are the
/// unexpired ones. A replica that dies drops out within <see cref="Ttl"/>, and its targets go to the others.
/// In single-instance mode there is no sharing: this replica probes everything.
/// </summary>
public sealed class ProberMembership(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    ServiceMode mode,
    IOptions<ControlPlaneOptions> host,
    TimeProvider clock,
    ILogger<ProberMembership> logger) : BackgroundService
{
    private const string Prefix = "prober:";
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Renew = TimeSpan.FromSeconds(1);
    private volatile string[] _members = [];
    private Lease? _lease;

    public string Self => host.Value.InstanceId;

    /// <summary>Whether this replica probes <paramref name="instanceId"/> now.</summary>
    public bool Owns(string instanceId)
    {
        if (!mode.HighAvailability)
        {
            return true;
        }
        var members = _members;
        // Until the first membership read, nobody is known: probe nothing rather than everything twice.
        return members.Length > 0 && Rendezvous.Owner(instanceId, members) == Self;
    }

    public IReadOnlyList<string> Members => _members;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mode.HighAvailability)
        {
            return;
        }
        await database.WaitUntilMigratedAsync(stoppingToken);
        using var timer = new PeriodicTimer(Renew, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                HealthProbeLog.MembershipFailed(logger, ex.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Leaves at once on a graceful stop, so the others take this replica's targets without waiting out the TTL.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_lease is { } lease)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await LeaseStore.ReleaseAsync(scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>(), lease, cancellationToken);
            }
            catch (Exception ex)
            {
                HealthProbeLog.MembershipFailed(logger, ex.GetBaseException().Message);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>();
        _lease = await LeaseStore.TryAcquireAsync(db, Prefix + Self, Self, Ttl, clock, cancellationToken) ?? _lease;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var members = await db.Set<LeaseRecord>().AsNoTracking()
            .Where(l => l.Name.StartsWith(Prefix) && l.ExpiresAtMs > now)
            .Select(l => l.Holder).OrderBy(h => h).ToArrayAsync(cancellationToken);
        if (!members.SequenceEqual(_members))
        {
            HealthProbeLog.MembersChanged(logger, string.Join(", ", members));
            _members = members;
        }
    }
}
