namespace ControlPlane.Rollouts.Domain;

/// <summary>Wakes the driver early: a rollout was started or changed, or an Agent answered.</summary>
public sealed class RolloutSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        lock (_wake)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
