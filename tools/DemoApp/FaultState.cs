namespace ControlPlane.DemoApp;

/// <summary>The faults switched on now; every change is logged on one line.</summary>
internal sealed class FaultState(ILogger<FaultState> logger)
{
    private readonly Lock _gate = new();
    private Faults _current = Faults.None;

    public Faults Current => Volatile.Read(ref _current);

    public Faults Apply(FaultSettings change, string source)
    {
        lock (_gate)
        {
            return Set(_current.With(change), source);
        }
    }

    public Faults Clear(string source)
    {
        lock (_gate)
        {
            return Set(Faults.None, source);
        }
    }

    private Faults Set(Faults next, string source)
    {
        if (next != _current)
        {
            Volatile.Write(ref _current, next);
            Log.FaultsChanged(logger, next, source);
        }
        return next;
    }
}
