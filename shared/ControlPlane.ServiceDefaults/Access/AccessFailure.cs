using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>Why authentication failed, kept on the request so the refusal can say it in words.</summary>
public sealed record AccessFailure(StatusCode Code, string Message)
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, StatusCode code, string message) => context.Items[Key] = new AccessFailure(code, message);

    public static AccessFailure? Get(HttpContext context) => context.Items.TryGetValue(Key, out var found) ? found as AccessFailure : null;
}
