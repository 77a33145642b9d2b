using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Leases;

/// <summary>
/// Database leases with fencing tokens (DESIGN §8): one statement takes a free or expired lease or renews our
/// own, so no session-level advisory lock is needed (those break behind PgBouncer in transaction mode).
/// The same SQL runs on PostgreSQL and SQLite (3.35+: ON CONFLICT … DO UPDATE … WHERE, RETURNING); MySQL and
/// MariaDB have neither, so there an insert-if-absent and a conditional update run in one transaction instead.
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
        if (context.IsMySql())
        {
            return await TryAcquireOnMySqlAsync(context, name, holder, now, expires, cancellationToken);
        }
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

    private static async Task<Lease?> TryAcquireOnMySqlAsync(DbContext context, string name, string holder,
        DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var table = context.QuotedTable<LeaseRecord>();
        (string, object?)[] parameters = [("@name", name), ("@holder", holder), ("@expires", expires.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds())];
        var own = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (own)
        {
            var inserted = await DbCommands.ExecuteAsync(context,
                $"INSERT IGNORE INTO {table} (`Name`, `Holder`, `Token`, `ExpiresAtMs`) VALUES (@name, @holder, 1, @expires)", cancellationToken, parameters);
            // The row exists now and this update locks it until commit. SET assigns left to right, so the token is
            // judged against the old holder. Connector/NET counts matched rows, not changed ones.
            var taken = inserted == 1 || await DbCommands.ExecuteAsync(context, $"""
                UPDATE {table} SET
                  `Token` = CASE WHEN `Holder` = @holder THEN `Token` ELSE `Token` + 1 END,
                  `Holder` = @holder,
                  `ExpiresAtMs` = @expires
                WHERE `Name` = @name AND (`Holder` = @holder OR `ExpiresAtMs` < @now)
                """, cancellationToken, parameters) == 1;
            var token = taken ? await DbCommands.ScalarAsync(context, $"SELECT `Token` FROM {table} WHERE `Name` = @name", cancellationToken, parameters) : null;
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return token is null ? null : new Lease(name, holder, Convert.ToInt64(token, System.Globalization.CultureInfo.InvariantCulture), expires);
        }
    }

    /// <summary>
    /// Inside the caller's write transaction: proves the lease is still ours with this token, and keeps the row
    /// locked until commit so no takeover can slip in between the check and the write.
    /// </summary>
    /// <exception cref="LeaseLostException">Another replica holds it now, or it ran out.</exception>
    public static async Task FenceAsync(DbContext context, Lease lease, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (table, q) = (context.QuotedTable<LeaseRecord>(), (Func<string, string>)context.Quote);
        var rows = await DbCommands.ExecuteAsync(context, $"""
            UPDATE {table} SET {q("Token")} = {q("Token")}
            WHERE {q("Name")} = @name AND {q("Holder")} = @holder AND {q("Token")} = @token AND {q("ExpiresAtMs")} >= @now
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
            $"SELECT {context.Quote("ExpiresAtMs")} FROM {context.QuotedTable<LeaseRecord>()} WHERE {context.Quote("Name")} = @name", cancellationToken, ("@name", name));
        return value is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Gives the lease up at shutdown so another replica need not wait for it to expire.</summary>
    public static Task ReleaseAsync(DbContext context, Lease lease, CancellationToken cancellationToken) =>
        DbCommands.ExecuteAsync(context,
            $"UPDATE {context.QuotedTable<LeaseRecord>()} SET {context.Quote("ExpiresAtMs")} = 0 WHERE {context.Quote("Name")} = @name AND {context.Quote("Holder")} = @holder AND {context.Quote("Token")} = @token",
            cancellationToken, ("@name", lease.Name), ("@holder", lease.Holder), ("@token", lease.Token));
}
