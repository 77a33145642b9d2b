using ControlPlane.ServiceDefaults.Cache.Memcached;

namespace ControlPlane.Registry.Tests;

public class MemcachedCircuitTests
{
    private readonly ManualClock _time = new();

    private MemcachedCircuit Circuit() => new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), _time);

    [Fact]
    public void AfterAFailureCallsAreRefusedUntilTheBackOffEndsThenOneProbeGoesThrough()
    {
        var circuit = Circuit();
        Assert.True(circuit.TryEnter());
        circuit.Failed();

        Assert.False(circuit.TryEnter());
        _time.Advance(TimeSpan.FromMilliseconds(260));
        Assert.True(circuit.TryEnter());
        Assert.False(circuit.TryEnter()); // one probe at a time
        circuit.Succeeded();
        Assert.True(circuit.IsClosed);
        Assert.True(circuit.TryEnter());
        Assert.True(circuit.TryEnter());
    }

    [Fact]
    public void TheBackOffDoublesWithEachFailureUpToItsLimit()
    {
        var circuit = Circuit();
        var waits = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            circuit.Failed();
            var waited = 0;
            while (!circuit.TryEnter())
            {
                _time.Advance(TimeSpan.FromMilliseconds(50));
                waited += 50;
            }
            waits.Add(waited);
        }
        Assert.Equal([250, 500, 1000, 2000, 2000, 2000], waits);
    }

    [Fact]
    public void AnAbandonedProbeLetsTheNextCallProbe()
    {
        var circuit = Circuit();
        circuit.Failed();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.TryEnter());
        circuit.Abandoned();
        Assert.True(circuit.TryEnter());
        Assert.False(circuit.IsClosed);
    }
}

/// <summary>A clock that moves only when told to.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
