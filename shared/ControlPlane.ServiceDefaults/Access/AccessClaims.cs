using System.Security.Claims;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>The claims every authentication scheme of the suite sets, and reading them back.</summary>
public static class AccessClaims
{
    /// <summary>How the caller authenticated: <see cref="ApiKey"/>, <see cref="Certificate"/> or <see cref="Process"/>.</summary>
    public const string Method = "controlplane:authentication";

    public const string KeyId = "controlplane:key_id";

    public const string ApiKey = "api-key";
    public const string Certificate = "certificate";
    public const string Process = "process";

    public static ClaimsPrincipal Principal(string scheme, string name, string role, string method, string? keyId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
            new(Method, method),
        };
        if (keyId is not null)
        {
            claims.Add(new Claim(KeyId, keyId));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The suite's role of a principal: the highest role claim it carries (null if none).</summary>
    public static string? RoleOf(ClaimsPrincipal user) =>
        user.Identities.Where(i => i.IsAuthenticated)
            .SelectMany(i => i.FindAll(ClaimTypes.Role))
            .Select(c => c.Value)
            .Where(AccessRoles.IsRole)
            .MaxBy(AccessRoles.Rank);

    public static string NameOf(ClaimsPrincipal user) =>
        user.Identities.FirstOrDefault(i => i.IsAuthenticated)?.Name ?? "anonymous";
}
