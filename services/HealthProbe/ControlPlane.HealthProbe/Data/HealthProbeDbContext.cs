using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.HealthProbe.Data;

/// <summary>HealthProbe's own tables (all named healthprobe_*). One model, migrated per provider by the subclasses.</summary>
public abstract class HealthProbeDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Owner = "healthprobe";

    public DbSet<InstanceHealthRecord> Instances => Set<InstanceHealthRecord>();
    public DbSet<ReadySetRecord> ReadySets => Set<ReadySetRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InstanceHealthRecord>(e =>
        {
            e.ToTable("healthprobe_instances");
            e.HasKey(i => i.InstanceId);
            e.Property(i => i.InstanceId).HasMaxLength(128);
            e.Property(i => i.App).HasMaxLength(63);
            e.HasIndex(i => i.App);
        });
        modelBuilder.Entity<ReadySetRecord>(e =>
        {
            e.ToTable("healthprobe_ready_sets");
            e.HasKey(r => r.App);
            e.Property(r => r.App).HasMaxLength(63);
        });
        modelBuilder.AddEventLog(Owner).AddOutbox(Owner).AddLeases(Owner).AddIdempotency(Owner);
    }
}

public sealed class SqliteHealthProbeDbContext(DbContextOptions<SqliteHealthProbeDbContext> options) : HealthProbeDbContext(options);

public sealed class PostgresHealthProbeDbContext(DbContextOptions<PostgresHealthProbeDbContext> options) : HealthProbeDbContext(options);

public sealed class MySqlHealthProbeDbContext(DbContextOptions<MySqlHealthProbeDbContext> options) : HealthProbeDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseExactText();
    }
}
