using Microsoft.AspNetCore.Http;

namespace ControlPlane.Dashboard.Auth;

/// <summary>
/// Refuses a state-changing request that did not come from the dashboard's own script. The cookie is SameSite=Strict
/// already; this also needs a header a cross-site form cannot set (and a cross-origin script could only set after a
/// CORS preflight, which is never granted), plus a matching Origin when the browser sends one.
/// </summary>
public sealed class SameOriginFilter : IEndpointFilter
{
    public const string Header = "X-Dashboard-Request";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return next(context);
        }
        if (request.Headers[Header] != "1")
        {
            return ValueTask.FromResult<object?>(Refuse($"the header {Header}: 1 is missing: actions are taken from the dashboard's page only"));
        }
        // Host and port only: behind a proxy that ends TLS the request arrives as http while the page's origin is https.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return ValueTask.FromResult<object?>(Refuse($"origin {origin} is not this dashboard's"));
        }
        return next(context);
    }

    private static IResult Refuse(string detail) =>
        Results.Json(new { status = "PermissionDenied", detail }, statusCode: StatusCodes.Status403Forbidden);
}
