using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>Forgets audit records older than <see cref="AccessOptions.AuditRetention"/>; one replica, under a lease.</summary>
public sealed class AuditTrimmer(
    IServiceScopeFactory scopes,
    DatabaseStatus database,
    IOptions<ControlPlaneOptions> options,
    IOptions<AccessOptions> access,
    TimeProvider clock,
    ILogger<AuditTrimmer> logger)
    : LeasedJob<AccessDbContext>(scopes, database, options, clock, logger)
{
    protected override string LeaseName => "access-audit-trim";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    protected override async Task RunOnceAsync(IServiceProvider services, Lease lease, CancellationToken cancellationToken)
    {
        var before = (Clock.GetUtcNow() - access.Value.AuditRetention).ToUnixTimeMilliseconds();
        await services.GetRequiredService<AccessDbContext>().Audit.Where(a => a.AtMs < before).ExecuteDeleteAsync(cancellationToken);
    }
}
