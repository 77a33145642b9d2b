namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>
/// Back-off after failures, so that while memcached is down a call fails at once instead of waiting for a connect or
/// read timeout. After a failure the circuit is open for a back-off that doubles with each failure in a row (up to
/// <paramref name="maxBackoff"/>); then one call at a time probes the server, and its success closes the circuit.
/// </summary>
public sealed class MemcachedCircuit(TimeSpan minBackoff, TimeSpan maxBackoff, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _failures;
    private long _openUntil;
    private bool _probing;

    public bool IsClosed
    {
        get { lock (_lock) { return _failures == 0; } }
    }

    /// <summary>Whether a call may go to the server now. A true answer must be followed by Succeeded, Failed or Abandoned.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_failures == 0)
            {
                return true;
            }
            if (time.GetTimestamp() < _openUntil || _probing)
            {
                return false;
            }
            _probing = true;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _failures = 0;
            _probing = false;
        }
    }

    public void Failed()
    {
        lock (_lock)
        {
            _failures = Math.Min(_failures + 1, 30);
            var backoff = Math.Min(maxBackoff.Ticks, minBackoff.Ticks << Math.Min(_failures - 1, 20));
            _openUntil = time.GetTimestamp() + (long)(backoff * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _probing = false;
        }
    }

    /// <summary>The call ended without telling whether the server is up (the caller cancelled it).</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }
}
