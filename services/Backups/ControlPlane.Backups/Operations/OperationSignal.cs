namespace ControlPlane.Backups.Operations;

/// <summary>Wakes this replica's <see cref="OperationWorker"/> when work may have been queued, so it need not wait for its poll.</summary>
public sealed class OperationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Signalled already; one wake-up is enough.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
