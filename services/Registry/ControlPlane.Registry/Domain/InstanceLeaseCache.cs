using System.Collections.Concurrent;
using ControlPlane.Registry.Data;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// What a heartbeat needs to know about an instance, kept in memory so a heartbeat costs no database read,
/// plus the renewals not yet written. Entries are dropped when the instance changes (locally, or on another
/// replica as told by the bus) and re-read on the next heartbeat.
/// </summary>
public sealed class InstanceLeaseCache
{
    public sealed record Entry(string LeaseId, long LeaseTtlMs, bool Draining, InstanceStatus State, string StatusKey);

    public sealed record Renewal(string LeaseId, DateTime ExpiresAt, DateTime HeartbeatAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Renewal> _pending = new(StringComparer.Ordinal);

    public int PendingCount => _pending.Count;

    public bool TryGet(string instanceId, out Entry entry) => _entries.TryGetValue(instanceId, out entry!);

    public Entry Put(InstanceRecord record)
    {
        var entry = new Entry(record.LeaseId, record.LeaseTtlMs, record.Draining, record.State, StatusKey(record));
        _entries[record.InstanceId] = entry;
        return entry;
    }

    public void Forget(string instanceId) => _entries.TryRemove(instanceId, out _);

    public void Renew(string instanceId, Renewal renewal) => _pending[instanceId] = renewal;

    /// <summary>Takes every pending renewal for writing.</summary>
    public List<KeyValuePair<string, Renewal>> TakePending()
    {
        var taken = new List<KeyValuePair<string, Renewal>>(_pending.Count);
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var renewal))
            {
                taken.Add(new(key, renewal));
            }
        }
        return taken;
    }

    /// <summary>Puts back renewals a failed write did not store, unless a newer one arrived meanwhile.</summary>
    public void Return(IEnumerable<KeyValuePair<string, Renewal>> renewals)
    {
        foreach (var (id, renewal) in renewals)
        {
            _pending.TryAdd(id, renewal);
        }
    }

    public static string StatusKey(InstanceRecord r) => $"{r.Version}\n{r.ConfigHash}\n{r.Plugins}\n{r.SchemaVersion}";
}
