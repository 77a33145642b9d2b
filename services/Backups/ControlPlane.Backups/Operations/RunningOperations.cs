using System.Collections.Concurrent;

namespace ControlPlane.Backups.Operations;

/// <summary>The operations this replica runs now, so a heartbeat can cancel one (DeleteBackup) and say why.</summary>
public sealed class RunningOperations
{
    private readonly ConcurrentDictionary<string, Operation> _running = new();

    public int Count => _running.Count;

    public Operation Start(string id, CancellationToken stopping)
    {
        var operation = new Operation(id, stopping, () => _running.TryRemove(id, out _));
        _running[id] = operation;
        return operation;
    }

    public void Cancel(string id, string reason)
    {
        if (_running.TryGetValue(id, out var operation))
        {
            operation.Cancel(reason);
        }
    }

    /// <summary>One running operation: its cancellation, and the reason it was cancelled.</summary>
    public sealed class Operation : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly Action _done;
        private readonly CancellationTokenRegistration _stopping;

        internal Operation(string id, CancellationToken stopping, Action done)
        {
            Id = id;
            _cancel = new CancellationTokenSource();
            _done = done;
            _stopping = stopping.Register(() => Cancel("the service is shutting down", shuttingDown: true));
        }

        public string Id { get; }

        public CancellationToken Token => _cancel.Token;

        /// <summary>Why <see cref="Token"/> was cancelled; null while it was not.</summary>
        public string? CancelReason { get; private set; }

        public bool ShuttingDown { get; private set; }

        public void Cancel(string reason, bool shuttingDown = false)
        {
            if (CancelReason is null)
            {
                CancelReason = reason;
                ShuttingDown = shuttingDown;
            }
            _cancel.Cancel();
        }

        public void Dispose()
        {
            _stopping.Dispose();
            _done();
            _cancel.Dispose();
        }
    }
}
