namespace ControlPlane.ServiceDefaults.Leases;

/// <summary>A row per lease: who holds it, until when, and the fencing token of the current holding.</summary>
public sealed class LeaseRecord
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";

    /// <summary>Grows by one at every change of holder; writes made under an older token are refused.</summary>
    public long Token { get; set; }

    public long ExpiresAtMs { get; set; }
}

/// <summary>A lease this replica holds, as of <see cref="ExpiresAt"/>.</summary>
public sealed record Lease(string Name, string Holder, long Token, DateTimeOffset ExpiresAt);

/// <summary>The lease was taken over (or ran out) while its holder was still acting.</summary>
public sealed class LeaseLostException(string name, long token)
    : Exception($"lease '{name}' is no longer held with token {token}: another replica took over");
