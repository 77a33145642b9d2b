using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers a service's DbContext on the provider the mode chose. <typeparamref name="TSqlite"/>,
    /// <typeparamref name="TPostgres"/> and <typeparamref name="TMySql"/> are the same model with their own migrations; callers ask for
    /// <typeparamref name="TContext"/>. The context is migrated at start (see <see cref="MigrationRunner"/>).
    /// </summary>
    /// <param name="owner">The owning service, e.g. "registry": prefixes its tables and names its migrations history.</param>
    public static IHostApplicationBuilder AddControlPlaneDbContext<TContext, TSqlite, TPostgres, TMySql>(
        this IHostApplicationBuilder builder, string owner)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
        where TMySql : TContext
    {
        var mode = builder.GetServiceMode();
        // Pooled: every request and bus message takes a context, and building one (its services, its translators)
        // costs more CPU than many of the queries run on it. A returned context is reset, its tracker emptied.
        void Configure(DbContextOptionsBuilder o) => UseProvider(o, mode.DatabaseProvider, mode.DatabaseConnectionString, owner);
        _ = mode.DatabaseProvider switch
        {
            DatabaseProvider.PostgreSql => builder.Services.AddDbContextPool<TContext, TPostgres>(Configure),
            DatabaseProvider.MySql => builder.Services.AddDbContextPool<TContext, TMySql>(Configure),
            _ => builder.Services.AddDbContextPool<TContext, TSqlite>(Configure),
        };
        builder.Services.AddSingleton(new MigrationTarget(owner, typeof(TContext)));
        return builder;
    }

    /// <summary>Configures EF Core for one provider; also used by design-time factories.</summary>
    public static DbContextOptionsBuilder UseProvider(
        DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, string owner)
    {
        var history = $"__{owner}_migrations";
        return provider switch
        {
            DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(history)),
            DatabaseProvider.MySql => options.UseMySQL(connectionString, o => o.MigrationsHistoryTable(history)).AddInterceptors(MySqlSession.Instance, MariaDbCommands.Instance),
            _ => options.UseSqlite(PrepareSqlite(connectionString), o => o.MigrationsHistoryTable(history)),
        };
    }

    /// <summary>Creates the SQLite file's folder so a newcomer's first run needs no setup.</summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        return builder.ToString();
    }
}
