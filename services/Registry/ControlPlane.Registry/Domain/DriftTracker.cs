using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>Keeps each instance's announced drift current and emits DRIFT_CHANGED / DriftDetected when it changes.</summary>
public static class DriftTracker
{
    /// <summary>After one instance changed (call after SaveChanges, so majorities count its new values).</summary>
    public static async Task UpdateAsync(RegistryWrite write, AppRecord app, InstanceRecord instance, CancellationToken cancellationToken)
    {
        var expectation = await ExpectationAsync(write.Db, app, cancellationToken);
        Apply(write, expectation, instance);
    }

    /// <summary>After the app's desired state changed: every instance is judged again.</summary>
    public static async Task UpdateFleetAsync(RegistryWrite write, AppRecord app, CancellationToken cancellationToken)
    {
        var instances = await write.Db.Instances.Where(i => i.App == app.Name).ToListAsync(cancellationToken);
        var expectation = DriftCalculator.ForFleet(app, instances);
        foreach (var instance in instances)
        {
            Apply(write, expectation, instance);
        }
    }

    private static void Apply(RegistryWrite write, FleetExpectation expectation, InstanceRecord instance)
    {
        var fields = DriftCalculator.Compare(expectation, instance);
        var described = DriftCalculator.Describe(fields);
        if (described == instance.Drift)
        {
            return;
        }
        instance.Drift = described;
        var reason = fields.Count == 0
            ? "back in line with the fleet"
            : "drifted: " + string.Join(", ", fields.Select(f => $"{f.Field} is '{f.Actual}', expected '{f.Expected}'"));
        write.Emit(InstanceEventType.DriftChanged, instance, reason,
            revision => new DriftDetected(instance.InstanceId, instance.App,
                fields.Select(f => new DriftedField(f.Field.ToString(), f.Expected, f.Actual, f.ExpectedFromMajority)).ToList(),
                revision, write.NowOffset),
            fields);
    }

    /// <summary>Desired values where the app sets them; majorities (counted in the database) where it does not.</summary>
    private static async Task<FleetExpectation> ExpectationAsync(RegistryDbContext db, AppRecord app, CancellationToken cancellationToken)
    {
        var active = db.Instances.Where(i => i.App == app.Name && i.State == InstanceStatus.Active);
        async Task<Expectation> Field(string desired, bool set, System.Linq.Expressions.Expression<Func<InstanceRecord, string>> value, bool skipEmpty)
        {
            if (set)
            {
                return new Expectation(desired, false);
            }
            var counts = await active.Select(value).Where(v => !skipEmpty || v != "")
                .GroupBy(v => v).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            return DriftCalculator.Expect(desired, false, counts.Select(c => new KeyValuePair<string, int>(c.Key, c.Count)));
        }
        return new FleetExpectation(
            await Field(app.DesiredVersion, app.DesiredVersion.Length > 0, i => i.Version, skipEmpty: true),
            await Field(app.DesiredConfigHash, app.DesiredConfigHash.Length > 0, i => i.ConfigHash, skipEmpty: true),
            await Field(app.DesiredPlugins, app.DesiredPluginsSet, i => i.Plugins, skipEmpty: false),
            await Field(app.DesiredSchemaVersion, app.DesiredSchemaVersion.Length > 0, i => i.SchemaVersion, skipEmpty: true));
    }
}
