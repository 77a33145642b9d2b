using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.State;

namespace ControlPlane.HealthProbe.Tests;

public class HealthCounterTests
{
    [Fact]
    public void ANewInstanceBecomesHealthyAfterRisePassesAndUnhealthyAfterFallFailures()
    {
        var counter = new HealthCounter();
        Assert.False(counter.Record(Verdict.Pass, rise: 2, fall: 3));
        Assert.Equal(HealthState.Unknown, counter.State);
        Assert.True(counter.Record(Verdict.Pass, 2, 3));
        Assert.Equal(HealthState.Healthy, counter.State);

        Assert.False(counter.Record(Verdict.Fail, 2, 3));
        Assert.False(counter.Record(Verdict.Fail, 2, 3));
        Assert.True(counter.Record(Verdict.Fail, 2, 3));
        Assert.Equal(HealthState.Unhealthy, counter.State);
        Assert.Equal(3, counter.Failures);
    }

    [Fact]
    public void OnePassBetweenFailuresStartsTheFallCountAgain()
    {
        var counter = new HealthCounter(HealthState.Healthy);
        counter.Record(Verdict.Fail, 2, 3);
        counter.Record(Verdict.Fail, 2, 3);
        counter.Record(Verdict.Pass, 2, 3);
        counter.Record(Verdict.Fail, 2, 3);
        counter.Record(Verdict.Fail, 2, 3);
        Assert.Equal(HealthState.Healthy, counter.State);
    }

    [Fact]
    public void AnInstanceOutOfServiceFollowsTheKindOfItsLatestFailure()
    {
        var counter = new HealthCounter(HealthState.Healthy);
        for (var i = 0; i < 3; i++)
        {
            counter.Record(Verdict.Degraded, 2, 3);
        }
        Assert.Equal(HealthState.Degraded, counter.State);
        Assert.True(counter.Record(Verdict.Fail, 2, 3));
        Assert.Equal(HealthState.Unhealthy, counter.State);
        counter.Record(Verdict.Pass, 2, 3);
        Assert.Equal(HealthState.Unhealthy, counter.State);
        Assert.True(counter.Record(Verdict.Pass, 2, 3));
        Assert.Equal(HealthState.Healthy, counter.State);
    }
}
