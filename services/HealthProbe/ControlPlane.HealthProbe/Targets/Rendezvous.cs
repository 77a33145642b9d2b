namespace ControlPlane.HealthProbe.Targets;

/// <summary>
/// Rendezvous (highest random weight) hashing: each target goes to the member with the highest hash of
/// (member, target). When a member joins or leaves, only the targets it wins or held move. Pure, no I/O.
/// </summary>
public static class Rendezvous
{
    public static string? Owner(string target, IReadOnlyList<string> members)
    {
        string? owner = null;
        ulong best = 0;
        foreach (var member in members)
        {
            var weight = Hash(member, target);
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(member, owner) < 0))
            {
                owner = member;
                best = weight;
            }
        }
        return owner;
    }

    /// <summary>FNV-1a over "member\ntarget", finished with a SplitMix64 mix so close strings spread well.</summary>
    private static ulong Hash(string member, string target)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in member)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        hash = (hash ^ '\n') * 1099511628211UL;
        foreach (var c in target)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
