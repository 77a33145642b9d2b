using ControlPlane.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Data;

/// <summary>The Rollouts' own tables (all named rollouts_*). One model, migrated per provider by the subclasses.</summary>
public abstract class RolloutsDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Owner = "rollouts";

    public DbSet<RolloutRecord> Rollouts => Set<RolloutRecord>();
    public DbSet<AgentAnswerRecord> AgentAnswers => Set<AgentAnswerRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RolloutRecord>(e =>
        {
            e.ToTable("rollouts_rollouts");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(64);
            e.Property(r => r.App).HasMaxLength(63);
            e.Property(r => r.ActiveApp).HasMaxLength(63);
            e.Property(r => r.RequestId).HasMaxLength(128);
            e.Property(r => r.Generation).IsConcurrencyToken();
            e.HasIndex(r => r.ActiveApp).IsUnique();
            e.HasIndex(r => r.RequestId).IsUnique();
            e.HasIndex(r => new { r.App, r.CreatedAt });
            e.HasIndex(r => r.NeedsDriver);
        });
        modelBuilder.Entity<AgentAnswerRecord>(e =>
        {
            e.ToTable("rollouts_agent_answers");
            e.HasKey(a => a.ApplyId);
            e.Property(a => a.ApplyId).HasMaxLength(256);
        });
        modelBuilder.AddEventLog(Owner).AddOutbox(Owner).AddLeases(Owner).AddIdempotency(Owner);
    }
}

public sealed class SqliteRolloutsDbContext(DbContextOptions<SqliteRolloutsDbContext> options) : RolloutsDbContext(options);

public sealed class PostgresRolloutsDbContext(DbContextOptions<PostgresRolloutsDbContext> options) : RolloutsDbContext(options);

public sealed class MySqlRolloutsDbContext(DbContextOptions<MySqlRolloutsDbContext> options) : RolloutsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseExactText();
    }
}
