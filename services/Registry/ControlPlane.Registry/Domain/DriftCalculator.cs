using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;

namespace ControlPlane.Registry.Domain;

/// <summary>What one field is judged against: the app's desired value, or else the fleet's majority (null: no majority).</summary>
public sealed record Expectation(string? Value, bool FromMajority)
{
    public static readonly Expectation None = new(null, true);
}

public sealed record FleetExpectation(Expectation Version, Expectation ConfigHash, Expectation Plugins, Expectation SchemaVersion);

/// <summary>
/// Drift (DESIGN §6): an instance whose version, config hash, plugin set or schema version differs from the
/// app's desired value or, where none is set, from the majority of the fleet. Pure logic, no I/O.
/// An instance that reports no config hash or schema version is not judged on that field (unknown is not drift).
/// </summary>
public static class DriftCalculator
{
    public static Expectation Expect(string desired, bool desiredSet, IEnumerable<KeyValuePair<string, int>> observedCounts)
    {
        if (desiredSet)
        {
            return new Expectation(desired, false);
        }
        var ranked = observedCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(2).ToList();
        if (ranked.Count == 0 || (ranked.Count == 2 && ranked[0].Value == ranked[1].Value))
        {
            return Expectation.None;
        }
        return new Expectation(ranked[0].Key, true);
    }

    /// <summary>The expectation for a whole fleet, counting the active instances given.</summary>
    public static FleetExpectation ForFleet(AppRecord app, IEnumerable<InstanceRecord> instances)
    {
        var active = instances.Where(i => i.State == InstanceStatus.Active).ToList();
        return new FleetExpectation(
            Expect(app.DesiredVersion, app.DesiredVersion.Length > 0, Count(active, i => i.Version)),
            Expect(app.DesiredConfigHash, app.DesiredConfigHash.Length > 0, Count(active, i => i.ConfigHash)),
            Expect(app.DesiredPlugins, app.DesiredPluginsSet, Count(active, i => i.Plugins, skipEmpty: false)),
            Expect(app.DesiredSchemaVersion, app.DesiredSchemaVersion.Length > 0, Count(active, i => i.SchemaVersion)));
    }

    public static List<DriftField> Compare(FleetExpectation expected, InstanceRecord instance)
    {
        var drift = new List<DriftField>();
        Check(drift, DriftFieldName.Version, expected.Version, instance.Version, judgeEmpty: true);
        Check(drift, DriftFieldName.ConfigHash, expected.ConfigHash, instance.ConfigHash, judgeEmpty: false);
        Check(drift, DriftFieldName.Plugins, expected.Plugins, instance.Plugins, judgeEmpty: true);
        Check(drift, DriftFieldName.SchemaVersion, expected.SchemaVersion, instance.SchemaVersion, judgeEmpty: false);
        return drift;
    }

    /// <summary>The stored form of a drift, to tell whether it changed since it was last announced.</summary>
    public static string Describe(IEnumerable<DriftField> drift) =>
        string.Join('\n', drift.Select(d => $"{d.Field}={d.Expected}>{d.Actual}"));

    private static void Check(List<DriftField> drift, DriftFieldName field, Expectation expected, string actual, bool judgeEmpty)
    {
        if (expected.Value is null || (!judgeEmpty && actual.Length == 0) || expected.Value == actual)
        {
            return;
        }
        drift.Add(new DriftField { Field = field, Expected = expected.Value, Actual = actual, ExpectedFromMajority = expected.FromMajority });
    }

    private static IEnumerable<KeyValuePair<string, int>> Count(IEnumerable<InstanceRecord> instances, Func<InstanceRecord, string> value,
        bool skipEmpty = true) =>
        instances.Select(value).Where(v => !skipEmpty || v.Length > 0)
            .GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()));
}
