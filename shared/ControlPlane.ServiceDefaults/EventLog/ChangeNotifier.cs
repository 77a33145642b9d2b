namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>
/// Wakes every waiting watcher when new events may be in the log: after a local commit, or when the bus
/// says another replica committed. Watchers re-read the log, so a spurious wake-up costs one query.
/// </summary>
public sealed class ChangeNotifier<TOwner>
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before reading the log, then await it.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
