using ControlPlane.Api.V1;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// The roles, each including the ones before it (viewer &lt; agent &lt; operator &lt; admin). One name serves as the
/// role claim, the authorization policy and the word in errors, so they cannot disagree.
/// </summary>
public static class AccessRoles
{
    /// <summary>Reads and watches.</summary>
    public const string Viewer = "viewer";

    /// <summary>Also registers, renews and deregisters instances: what an Agent needs and no more.</summary>
    public const string Agent = "agent";

    /// <summary>Also rollouts, drain, probes, apps, backup create and verify.</summary>
    public const string Operator = "operator";

    /// <summary>Also restore, backup deletion, backup policies, API keys and the audit log.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Agent, Operator, Admin];

    /// <summary>0 for viewer up to 3 for admin; -1 for a name that is no role.</summary>
    public static int Rank(string? role) => role is null ? -1 : IndexOf(role);

    public static bool Grants(string? held, string needed) => Rank(held) >= 0 && Rank(held) >= Rank(needed);

    public static bool IsRole(string? role) => Rank(role) >= 0;

    public static Role ToProto(string? role) => Rank(role) switch
    {
        0 => Role.Viewer,
        1 => Role.Agent,
        2 => Role.Operator,
        3 => Role.Admin,
        _ => Role.Unspecified,
    };

    public static string? FromProto(Role role) => role switch
    {
        Role.Viewer => Viewer,
        Role.Agent => Agent,
        Role.Operator => Operator,
        Role.Admin => Admin,
        _ => null,
    };

    private static int IndexOf(string role)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
