using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// The access_* tables: API keys and the audit log. They belong to this shared module, not to one service, because
/// every service checks the same keys and writes the same log; only the Registry serves the API that manages them.
/// </summary>
public abstract class AccessDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Owner = "access";

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ApiKeyRecord>(e =>
        {
            e.ToTable("access_api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(32);
            e.Property(k => k.Name).HasMaxLength(63);
            e.Property(k => k.Role).HasMaxLength(16);
            e.Property(k => k.TokenSha256).HasMaxLength(64);
            e.Property(k => k.CreatedBy).HasMaxLength(200);
            e.Property(k => k.RequestId).HasMaxLength(128);
            e.HasIndex(k => k.TokenSha256).IsUnique();
            e.HasIndex(k => k.CreatedAtMs);
        });
        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("access_audit");
            e.HasKey(a => a.Id);
            e.Property(a => a.Principal).HasMaxLength(200);
            e.Property(a => a.Role).HasMaxLength(16);
            e.Property(a => a.Method).HasMaxLength(200);
            e.Property(a => a.Outcome).HasMaxLength(32);
            e.Property(a => a.Detail).HasMaxLength(500);
            e.Property(a => a.Replica).HasMaxLength(128);
            e.Property(a => a.Peer).HasMaxLength(100);
            e.Property(a => a.TraceId).HasMaxLength(32);
            e.HasIndex(a => a.AtMs);
            e.HasIndex(a => new { a.Principal, a.Id });
        });
        // Trimming the audit log runs on one replica, under a lease of this module's own.
        modelBuilder.AddLeases(Owner);
    }
}

public sealed class SqliteAccessDbContext(DbContextOptions<SqliteAccessDbContext> options) : AccessDbContext(options);

public sealed class PostgresAccessDbContext(DbContextOptions<PostgresAccessDbContext> options) : AccessDbContext(options);

public sealed class MySqlAccessDbContext(DbContextOptions<MySqlAccessDbContext> options) : AccessDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseExactText();
    }
}

internal sealed class SqliteAccessDesignFactory() : DesignTimeFactory<SqliteAccessDbContext>(DatabaseProvider.Sqlite, AccessDbContext.Owner);

internal sealed class PostgresAccessDesignFactory() : DesignTimeFactory<PostgresAccessDbContext>(DatabaseProvider.PostgreSql, AccessDbContext.Owner);

internal sealed class MySqlAccessDesignFactory() : DesignTimeFactory<MySqlAccessDbContext>(DatabaseProvider.MySql, AccessDbContext.Owner);
