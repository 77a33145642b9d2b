namespace ControlPlane.Access.Tests;

/// <summary>
/// The role each method needs, written out from the security issue's list (viewer reads and watches; operator
/// rollouts, drain, backups create/verify; admin restore, delete, policies, keys), not read from the code under test.
/// </summary>
public static class RoleTable
{
    public static readonly IReadOnlyList<string> Roles = ["viewer", "agent", "operator", "admin"];

    private static readonly Dictionary<string, string> Needed = new()
    {
        ["controlplane.v1.Registry/UpsertApp"] = "operator",
        ["controlplane.v1.Registry/RegisterInstance"] = "agent",
        ["controlplane.v1.Registry/Heartbeat"] = "agent",
        ["controlplane.v1.Registry/DeregisterInstance"] = "agent",
        ["controlplane.v1.Registry/SetDrain"] = "operator",
        ["controlplane.v1.HealthProbe/ProbeNow"] = "operator",
        ["controlplane.v1.Rollouts/StartRollout"] = "operator",
        ["controlplane.v1.Rollouts/PauseRollout"] = "operator",
        ["controlplane.v1.Rollouts/ResumeRollout"] = "operator",
        ["controlplane.v1.Rollouts/PromoteRollout"] = "operator",
        ["controlplane.v1.Rollouts/AbortRollout"] = "operator",
        ["controlplane.v1.Rollouts/RollbackRollout"] = "operator",
        ["controlplane.v1.Backups/CreateBackup"] = "operator",
        ["controlplane.v1.Backups/VerifyBackup"] = "operator",
        ["controlplane.v1.Backups/DeleteBackup"] = "admin",
        ["controlplane.v1.Backups/RestoreBackup"] = "admin",
        ["controlplane.v1.Backups/SetBackupPolicy"] = "admin",
        ["controlplane.v1.Access/CreateApiKey"] = "admin",
        ["controlplane.v1.Access/ListApiKeys"] = "admin",
        ["controlplane.v1.Access/RevokeApiKey"] = "admin",
        ["controlplane.v1.Access/ListAuditEvents"] = "admin",
    };

    /// <summary>What a method needs: the table's entry, else viewer (every read, watch and WhoAmI).</summary>
    public static string For(string service, string method) => Needed.GetValueOrDefault($"{service}/{method}", "viewer");

    public static bool Allows(string held, string needed) => Roles.ToList().IndexOf(held) >= Roles.ToList().IndexOf(needed);
}
