using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Backups.Data;

/// <summary>Lets `dotnet ef migrations add` build each provider's context without a running host.</summary>
internal sealed class SqliteBackupsDesignFactory : IDesignTimeDbContextFactory<SqliteBackupsDbContext>
{
    public SqliteBackupsDbContext CreateDbContext(string[] args) => new(
        (DbContextOptions<SqliteBackupsDbContext>)DatabaseExtensions.UseProvider(
            new DbContextOptionsBuilder<SqliteBackupsDbContext>(), DatabaseProvider.Sqlite, "Data Source=design.db", BackupsDbContext.Owner).Options);
}

internal sealed class PostgresBackupsDesignFactory : IDesignTimeDbContextFactory<PostgresBackupsDbContext>
{
    public PostgresBackupsDbContext CreateDbContext(string[] args) => new(
        (DbContextOptions<PostgresBackupsDbContext>)DatabaseExtensions.UseProvider(
            new DbContextOptionsBuilder<PostgresBackupsDbContext>(), DatabaseProvider.PostgreSql, "Host=localhost", BackupsDbContext.Owner).Options);
}

internal sealed class MySqlBackupsDesignFactory : IDesignTimeDbContextFactory<MySqlBackupsDbContext>
{
    public MySqlBackupsDbContext CreateDbContext(string[] args) => new(
        (DbContextOptions<MySqlBackupsDbContext>)DatabaseExtensions.UseProvider(
            new DbContextOptionsBuilder<MySqlBackupsDbContext>(), DatabaseProvider.MySql, DesignTimeFactory<MySqlBackupsDbContext>.DesignConnection(DatabaseProvider.MySql), BackupsDbContext.Owner).Options);
}
