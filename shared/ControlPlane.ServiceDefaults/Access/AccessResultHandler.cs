using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Answers a refused call in words: a gRPC call gets Unauthenticated (no or bad credential) or PermissionDenied
/// naming the role it needs, as a trailers-only response; an HTTP request gets 401/403 with the same sentence.
/// A refused mutating call is audited. The call's handler never runs, so nothing changes.
/// </summary>
public sealed class AccessResultHandler(AuditLog audit, ILogger<AccessResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }
        var needed = RoleRequirement.Needed(policy) ?? AccessRoles.Viewer;
        var method = context.Request.Path.Value ?? "";
        var (code, message) = authorizeResult.Forbidden
            ? (StatusCode.PermissionDenied, Denied(context, needed, method))
            : AccessFailure.Get(context) is { } failure
                ? (failure.Code, failure.Message)
                : (StatusCode.Unauthenticated, "no credential: send the header 'authorization: Bearer <API key>' (cpctl: --token or CPCTL_TOKEN)");
        AccessLog.Refused(logger, method, context.Connection.RemoteIpAddress?.ToString() ?? "", code.ToString(), message);
        if (code != StatusCode.Unavailable && audit.IsAudited(context))
        {
            await audit.WriteAsync(context, code.ToString(), message);
        }
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // Trailers-only: the status travels in the headers of an otherwise empty response, as gRPC servers do.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }
        context.Response.StatusCode = code switch
        {
            StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status401Unauthorized,
        };
        await context.Response.WriteAsync(message + "\n");
    }

    private static string Denied(HttpContext context, string needed, string method)
    {
        var role = AccessClaims.RoleOf(context.User) ?? "none";
        return $"'{AccessClaims.NameOf(context.User)}' (role {role}) may not call {method}: it needs role {needed}";
    }
}
