using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// Which successful backups a retention policy removes. Pure, so the rules are tested without I/O:
/// beyond the <c>keep_last</c> newest AND older than <c>max_age</c> (each rule alone when the other is unset);
/// never a pinned backup, never the newest verified (PASSED) one; no rule at all keeps everything.
/// </summary>
public static class RetentionPlanner
{
    public sealed record Candidate(string Id, DateTime FinishedAt, bool Pinned, VerificationStatus Verification);

    /// <param name="successful">The target's SUCCEEDED backups, in any order.</param>
    public static IReadOnlyList<string> Plan(IEnumerable<Candidate> successful, int keepLast, TimeSpan? maxAge, DateTime now)
    {
        if (keepLast <= 0 && maxAge is null)
        {
            return [];
        }
        // Ids sort by creation time: newest first.
        var newestFirst = successful.OrderByDescending(b => b.Id, StringComparer.Ordinal).ToList();
        var newestVerified = newestFirst.FirstOrDefault(b => b.Verification == VerificationStatus.Passed)?.Id;
        var delete = new List<string>();
        for (var i = 0; i < newestFirst.Count; i++)
        {
            var backup = newestFirst[i];
            var beyondCount = keepLast <= 0 || i >= keepLast;
            var tooOld = maxAge is not { } age || backup.FinishedAt < now - age;
            if (beyondCount && tooOld && !backup.Pinned && backup.Id != newestVerified)
            {
                delete.Add(backup.Id);
            }
        }
        return delete;
    }
}
