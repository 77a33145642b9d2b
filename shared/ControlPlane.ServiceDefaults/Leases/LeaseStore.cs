using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Leases;

/// <summary>
/// Database leases with fencing tokens (DESIGN §8): one statement takes a free or expired lease or renews our
/// own, so no session-level advisory lock is needed (those break behind PgBouncer in transaction mode).
/// The same SQL runs on PostgreSQL and SQLite (3.35+: ON CONFLICT … DO UPDATE … WHERE, RETURNING).
/// </summary>
public static class LeaseStore
{
    /// <summary>Takes or renews <paramref name="name"/> for <paramref name="holder"/>; null when another replica holds it.</summary>
    public static async Task<Lease?> TryAcquireAsync(DbContext context, string name, string holder, TimeSpan ttl,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var table = DbCommands.TableOf<LeaseRecord>(context);
        var now = clock.GetUtcNow();
        var expires = now + ttl;
        var token = await DbCommands.ScalarAsync(context, $"""
            INSERT INTO "{table}" ("Name", "Holder", "Token", "ExpiresAtMs") VALUES (@name, @holder, 1, @expires)
            ON CONFLICT ("Name") DO UPDATE SET
              "Token" = CASE WHEN "{table}"."Holder" = @holder THEN "{table}"."Token" ELSE "{table}"."Token" + 1 END,
              "Holder" = @holder,
              "ExpiresAtMs" = @expires
            WHERE "{table}"."Holder" = @holder OR "{table}"."ExpiresAtMs" < @now
            RETURNING "Token"
            """, cancellationToken,
            ("@name", name), ("@holder", holder), ("@expires", expires.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds()));
        return token is null ? null : new Lease(name, holder, Convert.ToInt64(token), expires);
    }

    /// <summary>
    /// Inside the caller's write transaction: proves the lease is still ours with this token, and keeps the row
    /// locked until commit so no takeover can slip in between the check and the write.
    /// </summary>
    /// <exception cref="LeaseLostException">Another replica holds it now, or it ran out.</exception>
    public static async Task FenceAsync(DbContext context, Lease lease, TimeProvider clock, CancellationToken cancellationToken)
    {
        var table = DbCommands.TableOf<LeaseRecord>(context);
        var rows = await DbCommands.ExecuteAsync(context, $"""
            UPDATE "{table}" SET "Token" = "Token"
            WHERE "Name" = @name AND "Holder" = @holder AND "Token" = @token AND "ExpiresAtMs" >= @now
            """, cancellationToken,
            ("@name", lease.Name), ("@holder", lease.Holder), ("@token", lease.Token), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
        if (rows != 1)
        {
            throw new LeaseLostException(lease.Name, lease.Token);
        }
    }

    /// <summary>When the current holding of <paramref name="name"/> runs out (by its holder's clock); null when never taken.</summary>
    public static async Task<DateTimeOffset?> ExpiresAtAsync(DbContext context, string name, CancellationToken cancellationToken)
    {
        var value = await DbCommands.ScalarAsync(context,
            $"SELECT \"ExpiresAtMs\" FROM \"{DbCommands.TableOf<LeaseRecord>(context)}\" WHERE \"Name\" = @name", cancellationToken, ("@name", name));
        return value is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Gives the lease up at shutdown so another replica need not wait for it to expire.</summary>
    public static Task ReleaseAsync(DbContext context, Lease lease, CancellationToken cancellationToken) =>
        DbCommands.ExecuteAsync(context,
            $"UPDATE \"{DbCommands.TableOf<LeaseRecord>(context)}\" SET \"ExpiresAtMs\" = 0 WHERE \"Name\" = @name AND \"Holder\" = @holder AND \"Token\" = @token",
            cancellationToken, ("@name", lease.Name), ("@holder", lease.Holder), ("@token", lease.Token));
}
