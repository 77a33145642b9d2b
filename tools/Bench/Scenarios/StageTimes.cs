using System.Collections.Concurrent;
using System.Diagnostics;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// Where a rollout's time goes: the summed duration of the spans of one ActivitySource whose names start with a
/// prefix (the stage spans "rollout step drain", "… apply", "… health gate", …), listened to in this process.
/// </summary>
public sealed class StageTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (int Count, double Milliseconds)> _totals = new();
    private readonly string _prefix;

    /// <param name="source">The ActivitySource listened to; null: every source (each span named "source: name").</param>
    public StageTimes(string? source, string prefix)
    {
        _prefix = prefix;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => source is null || s.Name == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private void Record(Activity activity)
    {
        var name = _prefix.Length == 0 ? $"{activity.Source.Name}: {activity.DisplayName}" : activity.DisplayName;
        if (name.StartsWith(_prefix, StringComparison.Ordinal))
        {
            _totals.AddOrUpdate(name[_prefix.Length..], (1, activity.Duration.TotalMilliseconds),
                (_, t) => (t.Count + 1, t.Milliseconds + activity.Duration.TotalMilliseconds));
        }
    }

    /// <summary>Each stage's time per instance (its spans' summed duration over <paramref name="instances"/>).</summary>
    public void Print(int instances, int top = int.MaxValue)
    {
        foreach (var (stage, (count, milliseconds)) in _totals.OrderByDescending(t => t.Value.Milliseconds).Take(top))
        {
            Console.WriteLine($"  {milliseconds / instances,7:F1} ms per instance  {stage} ({count} spans)");
        }
    }

    public void Dispose() => _listener.Dispose();
}
