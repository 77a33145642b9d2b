using System.Collections.Concurrent;

namespace ControlPlane.ServiceDefaults.Outbox;

/// <summary>
/// Tells a context's dispatcher that a commit added messages, so they go out without waiting for the poll, and
/// which rows they are, so they can be claimed by key. The keys are a hint, not a record: rows whose keys are
/// dropped (the hint is full while the broker is down) or lost (a lane that took them failed) are found by a sweep.
/// </summary>
public sealed class OutboxSignal<TContext>
{
    private const int MaxHinted = 10_000;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly ConcurrentQueue<long> _committed = new();

    public void Notify(IReadOnlyCollection<long> sequences)
    {
        if (_committed.Count + sequences.Count <= MaxHinted)
        {
            foreach (var sequence in sequences)
            {
                _committed.Enqueue(sequence);
            }
        }
        Notify();
    }

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled first; one wake-up is enough.
            }
        }
    }

    public bool HasCommitted => !_committed.IsEmpty;

    /// <summary>Up to <paramref name="max"/> keys of committed rows, oldest first.</summary>
    public List<long> TakeCommitted(int max)
    {
        var taken = new List<long>();
        while (taken.Count < max && _committed.TryDequeue(out var sequence))
        {
            taken.Add(sequence);
        }
        return taken;
    }

    /// <returns>True when signalled, false when <paramref name="timeout"/> passed.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
