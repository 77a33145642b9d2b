using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>
/// Lets `dotnet ef migrations add` build a provider's context without a running host. A service declares one
/// per provider: <c>class SqliteXDesignFactory() : DesignTimeFactory&lt;SqliteXDbContext&gt;(DatabaseProvider.Sqlite, "x");</c>
/// </summary>
public abstract class DesignTimeFactory<TContext>(DatabaseProvider provider, string owner) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var connection = DesignConnection(provider);
        var options = DatabaseExtensions.UseProvider(new DbContextOptionsBuilder<TContext>(), provider, connection, owner).Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }

    /// <summary>A connection string that only names the provider: design-time tools never connect.</summary>
    public static string DesignConnection(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.PostgreSql => "Host=localhost",
        DatabaseProvider.MySql => "Server=localhost;Database=design",
        _ => "Data Source=design.db",
    };
}
