using System.Text.Json.Nodes;
using ControlPlane.Api.V1;
using ControlPlane.Dashboard.Api;
using ControlPlane.ServiceDefaults.Access;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Dashboard.Auth;

/// <summary>
/// Sign-in with an API key: the key is checked by the API itself (Access.WhoAmI, on the Registry), so the dashboard
/// needs no database of its own and accepts exactly the keys the gRPC API accepts.
/// </summary>
public static class SignInEndpoints
{
    public sealed record SignInRequest(string? Key);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/login", SignInAsync).AllowAnonymous();
        api.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(DashboardUser.Scheme);
            return Results.NoContent();
        }).AllowAnonymous();
        api.MapGet("/me", (HttpContext context) => Results.Json(new JsonObject
        {
            ["name"] = DashboardUser.Name(context.User),
            ["role"] = AccessClaims.RoleOf(context.User),
            ["mayOperate"] = AccessRoles.Grants(AccessClaims.RoleOf(context.User), AccessRoles.Operator),
        })).RequireAuthorization(DashboardUser.ViewerPolicy);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardClients clients)
    {
        var (request, error) = await JsonBody.ReadAsync<SignInRequest>(context.Request);
        if (error is not null)
        {
            return error;
        }
        var key = request?.Key?.Trim() ?? "";
        if (key.Length == 0)
        {
            return ApiErrors.BadField("key", "paste an API key (cpctl keys create NAME --role viewer|operator)");
        }
        Principal who;
        try
        {
            who = await clients.Access.WhoAmIAsync(new WhoAmIRequest(), DashboardUser.KeyCall(key, context.RequestAborted, TimeSpan.FromSeconds(10)));
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            return ApiErrors.FromRpc(ex);
        }
        var role = AccessRoles.FromProto(who.Role);
        if (role is null)
        {
            return Results.Json(new JsonObject { ["status"] = "Unauthenticated", ["detail"] = $"key '{who.Name}' has no role" }, statusCode: 401);
        }
        await context.SignInAsync(DashboardUser.Scheme, DashboardUser.Principal(who.Name, role, key));
        return Results.Json(new JsonObject { ["name"] = who.Name, ["role"] = role });
    }
}
