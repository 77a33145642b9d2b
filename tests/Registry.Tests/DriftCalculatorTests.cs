using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;

namespace ControlPlane.Registry.Tests;

public class DriftCalculatorTests
{
    private static InstanceRecord Instance(string version, string config = "c1", string plugins = "a,b", string schema = "7") =>
        new() { InstanceId = Guid.NewGuid().ToString("N"), Version = version, ConfigHash = config, Plugins = plugins, SchemaVersion = schema, State = InstanceStatus.Active };

    [Fact]
    public void DesiredValuesWinOverTheMajority()
    {
        var app = new AppRecord { DesiredVersion = "2.0" };
        var fleet = new[] { Instance("1.0"), Instance("1.0"), Instance("2.0") };
        var expected = DriftCalculator.ForFleet(app, fleet);

        Assert.Equal(new Expectation("2.0", false), expected.Version);
        var drift = DriftCalculator.Compare(expected, fleet[0]);
        var field = Assert.Single(drift);
        Assert.Equal(DriftFieldName.Version, field.Field);
        Assert.Equal("1.0", field.Actual);
        Assert.False(field.ExpectedFromMajority);
        Assert.Empty(DriftCalculator.Compare(expected, fleet[2]));
    }

    [Fact]
    public void WithoutDesiredValuesTheMajorityIsExpected()
    {
        var fleet = new[] { Instance("1.0", config: "c1"), Instance("1.0", config: "c2"), Instance("1.1", config: "c1") };
        var expected = DriftCalculator.ForFleet(new AppRecord(), fleet);

        var drift = DriftCalculator.Compare(expected, fleet[2]);
        Assert.Equal(DriftFieldName.Version, Assert.Single(drift).Field);
        Assert.True(drift[0].ExpectedFromMajority);
        Assert.Equal(DriftFieldName.ConfigHash, Assert.Single(DriftCalculator.Compare(expected, fleet[1])).Field);
    }

    [Fact]
    public void ATieHasNoMajorityAndReportsNoDrift()
    {
        var fleet = new[] { Instance("1.0"), Instance("2.0") };
        var expected = DriftCalculator.ForFleet(new AppRecord(), fleet);

        Assert.Null(expected.Version.Value);
        Assert.All(fleet, i => Assert.Empty(DriftCalculator.Compare(expected, i)));
    }

    [Fact]
    public void PluginsAreComparedAsASetAndAnUnreportedConfigIsNotDrift()
    {
        var app = new AppRecord { DesiredPlugins = PluginSet.Normalize(["b", "a"]), DesiredPluginsSet = true, DesiredConfigHash = "c9" };
        var expected = DriftCalculator.ForFleet(app, []);

        Assert.Empty(DriftCalculator.Compare(expected, Instance("1.0", config: "", plugins: PluginSet.Normalize(["a", "b", "a"]))));
        var drift = DriftCalculator.Compare(expected, Instance("1.0", config: "", plugins: "a"));
        Assert.Equal(DriftFieldName.Plugins, Assert.Single(drift).Field);
    }

    [Fact]
    public void ExpiredInstancesDoNotCountTowardsTheMajority()
    {
        var fleet = new[] { Instance("1.0"), Instance("0.9"), Instance("0.9") };
        fleet[1].State = InstanceStatus.Expired;
        fleet[2].State = InstanceStatus.Expired;

        Assert.Equal("1.0", DriftCalculator.ForFleet(new AppRecord(), fleet).Version.Value);
    }
}
