using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>
/// What the hand-written SQL (leases, revisions, the outbox claim) needs to know of its database: MySQL and MariaDB
/// quote names with backticks (double quotes are strings there) and have neither UPDATE … RETURNING nor
/// INSERT … ON CONFLICT, so those statements take another form.
/// </summary>
public static class SqlDialect
{
    /// <summary>Oracle's provider, on MySQL or MariaDB.</summary>
    public static bool IsMySql(this DbContext context) => context.Database.ProviderName == "MySql.EntityFrameworkCore";

    /// <summary>A table or column name, quoted for this context's database.</summary>
    public static string Quote(this DbContext context, string name) =>
        context.IsMySql() ? $"`{name.Replace("`", "``", StringComparison.Ordinal)}`" : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>The table an entity type is mapped to, quoted.</summary>
    public static string QuotedTable<TEntity>(this DbContext context) => context.Quote(DbCommands.TableOf<TEntity>(context));
}
