using System.Security.Claims;
using ControlPlane.ServiceDefaults.Access;
using Grpc.Core;

namespace ControlPlane.Dashboard.Auth;

/// <summary>
/// The signed-in operator. The cookie's ticket (encrypted and signed by ASP.NET Core data protection) carries their
/// API key, and every gRPC call is made with it: the API's own role checks and audit log see the operator, not the
/// dashboard, and a revoked key stops working here as everywhere else.
/// </summary>
public static class DashboardUser
{
    public const string Scheme = "Dashboard";
    public const string ViewerPolicy = "dashboard-viewer";
    public const string OperatorPolicy = "dashboard-operator";

    private const string KeyClaim = "controlplane:dashboard_key";

    public static ClaimsPrincipal Principal(string name, string role, string key)
    {
        var principal = AccessClaims.Principal(Scheme, name, role, AccessClaims.ApiKey);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(KeyClaim, key));
        return principal;
    }

    public static string Name(ClaimsPrincipal user) => AccessClaims.NameOf(user);

    /// <summary>Call options carrying the user's key, a deadline (none for watches) and the request's cancellation.</summary>
    public static CallOptions Call(ClaimsPrincipal user, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        KeyCall(user.FindFirst(KeyClaim)?.Value ?? "", cancellationToken, deadline);

    public static CallOptions KeyCall(string key, CancellationToken cancellationToken, TimeSpan? deadline) =>
        new(new Metadata { { "authorization", $"Bearer {key}" } },
            deadline is { } d ? DateTime.UtcNow + d : null, cancellationToken);
}
