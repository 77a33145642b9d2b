using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Registry.Data;

/// <summary>Lets `dotnet ef migrations add` build each provider's context without a running host.</summary>
internal sealed class SqliteRegistryDesignFactory : IDesignTimeDbContextFactory<SqliteRegistryDbContext>
{
    public SqliteRegistryDbContext CreateDbContext(string[] args) => new(
        (DbContextOptions<SqliteRegistryDbContext>)DatabaseExtensions.UseProvider(
            new DbContextOptionsBuilder<SqliteRegistryDbContext>(), DatabaseProvider.Sqlite, "Data Source=design.db", RegistryDbContext.Owner).Options);
}

internal sealed class PostgresRegistryDesignFactory : IDesignTimeDbContextFactory<PostgresRegistryDbContext>
{
    public PostgresRegistryDbContext CreateDbContext(string[] args) => new(
        (DbContextOptions<PostgresRegistryDbContext>)DatabaseExtensions.UseProvider(
            new DbContextOptionsBuilder<PostgresRegistryDbContext>(), DatabaseProvider.PostgreSql, "Host=localhost", RegistryDbContext.Owner).Options);
}
