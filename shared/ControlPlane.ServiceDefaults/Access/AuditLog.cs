using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Writes one row per mutating call (allowed or refused) to access_audit, and logs it. A call needing more than the
/// viewer role is mutating, so the roles on the methods decide what is audited and nothing else needs to be kept
/// in step.
/// </summary>
public sealed class AuditLog(
    IServiceScopeFactory scopes,
    IOptions<ControlPlaneOptions> options,
    TimeProvider time,
    ILogger<AuditLog> logger)
{
    private const int DetailLength = 500;
    private readonly ConcurrentDictionary<Endpoint, bool> _audited = new();

    /// <summary>Whether the endpoint's call is audited: it needs more than viewer, and is not marked <see cref="NotAuditedAttribute"/>.</summary>
    public bool IsAudited(HttpContext context) =>
        context.GetEndpoint() is { } endpoint && _audited.GetOrAdd(endpoint, static e =>
            e.Metadata.GetMetadata<NotAuditedAttribute>() is null &&
            AccessRoles.Rank(NeededRole(e)) > AccessRoles.Rank(AccessRoles.Viewer));

    /// <summary>The highest role the endpoint's [Authorize] policies name (the fallback, viewer, when none).</summary>
    public static string NeededRole(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(AccessRoles.IsRole).MaxBy(AccessRoles.Rank)
        ?? AccessRoles.Viewer;

    public async Task WriteAsync(HttpContext context, string outcome, string detail)
    {
        var principal = AccessClaims.NameOf(context.User);
        var role = AccessClaims.RoleOf(context.User) ?? "";
        var method = context.Request.Path.Value ?? "";
        AccessLog.Audited(logger, principal, role, method, outcome, detail);
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<DatabaseStatus>() is { IsMigrated: false })
        {
            // Calls refused while the schema is still being created (the embedded default's Agents register at
            // start): the table does not exist yet, and the log line above is the record.
            return;
        }
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<AccessDbContext>();
            db.Audit.Add(new AuditRecord
            {
                AtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                Principal = Cut(principal, 200),
                Role = role,
                Method = Cut(method, 200),
                Outcome = outcome,
                Detail = Cut(detail, DetailLength),
                Replica = Cut(options.Value.InstanceId, 128),
                Peer = Cut(context.Connection.RemoteIpAddress?.ToString() ?? "", 100),
                TraceId = Activity.Current?.TraceId.ToHexString() ?? "",
            });
            // Not the caller's token: the call has finished either way, and its record must not be lost to a client
            // that hung up.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The log line above is the record then; the call itself is not undone for it.
            AccessLog.AuditWriteFailed(logger, principal, method, outcome, ex.GetBaseException().Message);
        }
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
