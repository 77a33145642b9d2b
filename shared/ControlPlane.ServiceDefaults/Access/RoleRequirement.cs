using Microsoft.AspNetCore.Authorization;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>The caller's role must be at least <see cref="Role"/> (roles include the ones below them).</summary>
public sealed class RoleRequirement(string role) : AuthorizationHandler<RoleRequirement>, IAuthorizationRequirement
{
    public string Role { get; } = role;

    /// <summary>The highest role a policy asks for (null when it asks for none).</summary>
    public static string? Needed(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<RoleRequirement>().Select(r => r.Role).MaxBy(AccessRoles.Rank);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (AccessRoles.Grants(AccessClaims.RoleOf(context.User), requirement.Role))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
