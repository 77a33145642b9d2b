using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Backups.Data;

/// <summary>The Backups service's own tables (all named backups_*). One model, migrated per provider by the subclasses.</summary>
public abstract class BackupsDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Owner = "backups";

    public DbSet<BackupRecord> Backups => Set<BackupRecord>();
    public DbSet<RestoreRecord> Restores => Set<RestoreRecord>();
    public DbSet<PolicyRecord> Policies => Set<PolicyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BackupRecord>(e =>
        {
            e.ToTable("backups_backups");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).HasMaxLength(64);
            e.Property(b => b.TargetDatabase).HasMaxLength(63);
            e.HasIndex(b => new { b.TargetDatabase, b.Status, b.Id });
            e.HasIndex(b => new { b.Status, b.Id });
            e.HasIndex(b => b.VerificationStatus);
        });
        modelBuilder.Entity<RestoreRecord>(e =>
        {
            e.ToTable("backups_restores");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(64);
            e.Property(r => r.BackupId).HasMaxLength(64);
            e.Property(r => r.TargetDatabase).HasMaxLength(63);
            e.HasIndex(r => new { r.Status, r.Id });
        });
        modelBuilder.Entity<PolicyRecord>(e =>
        {
            e.ToTable("backups_policies");
            e.HasKey(p => p.TargetDatabase);
            e.Property(p => p.TargetDatabase).HasMaxLength(63);
        });
        modelBuilder.AddEventLog(Owner).AddOutbox(Owner).AddLeases(Owner).AddIdempotency(Owner);
    }
}

public sealed class SqliteBackupsDbContext(DbContextOptions<SqliteBackupsDbContext> options) : BackupsDbContext(options);

public sealed class PostgresBackupsDbContext(DbContextOptions<PostgresBackupsDbContext> options) : BackupsDbContext(options);

public sealed class MySqlBackupsDbContext(DbContextOptions<MySqlBackupsDbContext> options) : BackupsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseExactText();
    }
}
