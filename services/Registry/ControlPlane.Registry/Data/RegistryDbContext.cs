using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Data;

/// <summary>The Registry's own tables (all named registry_*). One model, migrated per provider by the subclasses.</summary>
public abstract class RegistryDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Owner = "registry";

    public DbSet<AppRecord> Apps => Set<AppRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AppRecord>(e =>
        {
            e.ToTable("registry_apps");
            e.HasKey(a => a.Name);
            e.Property(a => a.Name).HasMaxLength(63);
            e.Property(a => a.Generation).IsConcurrencyToken();
        });
        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable("registry_instances");
            e.HasKey(i => i.InstanceId);
            e.Property(i => i.InstanceId).HasMaxLength(128);
            e.Property(i => i.App).HasMaxLength(63);
            e.HasIndex(i => new { i.App, i.InstanceId });
            e.HasIndex(i => new { i.State, i.LeaseExpiresAt });
        });
        modelBuilder.AddEventLog(Owner).AddOutbox(Owner).AddLeases(Owner).AddIdempotency(Owner);
    }
}

public sealed class SqliteRegistryDbContext(DbContextOptions<SqliteRegistryDbContext> options) : RegistryDbContext(options);

public sealed class PostgresRegistryDbContext(DbContextOptions<PostgresRegistryDbContext> options) : RegistryDbContext(options);

public sealed class MySqlRegistryDbContext(DbContextOptions<MySqlRegistryDbContext> options) : RegistryDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseExactText();
    }
}
