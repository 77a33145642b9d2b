using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Idempotency;
using ControlPlane.ServiceDefaults.Leases;
using ControlPlane.ServiceDefaults.Outbox;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps the shared building blocks into a service's own model, as tables named after the service.</summary>
public static class ServiceDefaultsModelExtensions
{
    public static ModelBuilder AddEventLog(this ModelBuilder model, string prefix)
    {
        model.Entity<EventRecord>(e =>
        {
            e.ToTable($"{prefix}_events");
            e.HasKey(x => x.Revision);
            e.Property(x => x.Revision).ValueGeneratedNever();
            e.Property(x => x.Stream).HasMaxLength(128);
            e.Property(x => x.Subject).HasMaxLength(256);
            e.HasIndex(x => new { x.Stream, x.Revision });
        });
        model.Entity<RevisionCounter>(e =>
        {
            e.ToTable($"{prefix}_revision");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new RevisionCounter { Id = 1, Value = 0 });
        });
        return model;
    }

    public static ModelBuilder AddOutbox(this ModelBuilder model, string prefix)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable($"{prefix}_outbox");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.Property(x => x.MessageType).HasMaxLength(512);
            e.Property(x => x.TraceParent).HasMaxLength(128);
        });
        return model;
    }

    public static ModelBuilder AddLeases(this ModelBuilder model, string prefix)
    {
        model.Entity<LeaseRecord>(e =>
        {
            e.ToTable($"{prefix}_leases");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(128);
            e.Property(x => x.Holder).HasMaxLength(128);
        });
        return model;
    }

    public static ModelBuilder AddIdempotency(this ModelBuilder model, string prefix)
    {
        model.Entity<IdempotentRequest>(e =>
        {
            e.ToTable($"{prefix}_requests");
            e.HasKey(x => x.RequestId);
            e.Property(x => x.RequestId).HasMaxLength(128);
            e.Property(x => x.Method).HasMaxLength(64);
            e.HasIndex(x => x.CreatedAt);
        });
        return model;
    }
}
