using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Registry.Tests;

/// <summary>Trimming the event log from its oldest revision, on both providers' real databases.</summary>
public class EventLogRetentionTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task EventsOlderThanTheRetentionGoAndTheRestStayInOrder(Provider provider)
    {
        // The service's own trimming (24 h by default) removes none of these.
        await using var registry = await RegistryHost.StartAsync(provider);
        await using var scope = registry.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var now = DateTime.UtcNow;
        // Revision 5 took its time before revision 4 did (two writers racing for the revision lock).
        TimeSpan[] ages = [TimeSpan.FromHours(5), TimeSpan.FromHours(4), TimeSpan.FromHours(3), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61)];
        for (var i = 0; i < ages.Length; i++)
        {
            db.Set<EventRecord>().Add(new EventRecord { Revision = i + 1, Stream = "grafana", Subject = $"g-{i}", OccurredAt = now - ages[i] });
        }
        await db.SaveChangesAsync();

        await EventLogRetention.ForgetBeforeAsync(db, now - TimeSpan.FromDays(1), default);
        Assert.Equal([1, 2, 3, 4, 5], await RevisionsAsync(db));

        // 1-3 are older than an hour; 5 is too, but it stays behind 4, which is kept, until 4 goes as well.
        await EventLogRetention.ForgetBeforeAsync(db, now - TimeSpan.FromHours(1), default);
        Assert.Equal([4, 5], await RevisionsAsync(db));

        await EventLogRetention.ForgetBeforeAsync(db, now - TimeSpan.FromMinutes(30), default);
        Assert.Empty(await RevisionsAsync(db));
        await EventLogRetention.ForgetBeforeAsync(db, now, default);
    }

    private static Task<List<long>> RevisionsAsync(RegistryDbContext db) =>
        db.Set<EventRecord>().AsNoTracking().OrderBy(e => e.Revision).Select(e => e.Revision).ToListAsync();
}
