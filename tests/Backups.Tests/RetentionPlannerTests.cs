using ControlPlane.Api.V1;
using ControlPlane.Backups.Policy;

namespace ControlPlane.Backups.Tests;

public class RetentionPlannerTests
{
    private static readonly DateTime Now = new(2025, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>b-1 (oldest) … b-n (newest), one a day, the newest finished yesterday.</summary>
    private static List<RetentionPlanner.Candidate> Daily(int count, params int[] verified) =>
        Enumerable.Range(1, count).Select(i => new RetentionPlanner.Candidate($"b-{i:D2}", Now.AddDays(i - count - 1), false,
            verified.Contains(i) ? VerificationStatus.Passed : VerificationStatus.Unspecified)).ToList();

    [Fact]
    public void KeepLastRemovesEverythingBeyondTheNewestN() =>
        Assert.Equal(["b-03", "b-02", "b-01"], RetentionPlanner.Plan(Daily(6), keepLast: 3, maxAge: null, Now));

    [Fact]
    public void MaxAgeRemovesOnlyWhatIsOlder() =>
        Assert.Equal(["b-02", "b-01"], RetentionPlanner.Plan(Daily(6), keepLast: 0, maxAge: TimeSpan.FromDays(4.5), Now));

    [Fact]
    public void WithBothRulesABackupGoesOnlyWhenBeyondTheCountAndTooOld() =>
        Assert.Equal(["b-01"], RetentionPlanner.Plan(Daily(6), keepLast: 2, maxAge: TimeSpan.FromDays(5.5), Now));

    [Fact]
    public void TheNewestVerifiedBackupAndPinnedOnesSurvive()
    {
        var backups = Daily(6, verified: [1, 2]);
        backups[3] = backups[3] with { Pinned = true };
        Assert.Equal(["b-05", "b-03", "b-01"], RetentionPlanner.Plan(backups, keepLast: 1, maxAge: null, Now));
    }

    [Fact]
    public void NoRuleKeepsEverything() => Assert.Empty(RetentionPlanner.Plan(Daily(6), keepLast: 0, maxAge: null, Now));
}
