using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>The scheme for <c>authorization: Bearer &lt;API key&gt;</c>: the key of the token's hash, if active.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore store,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Fail(StatusCode.Unauthenticated, "the authorization header must be 'Bearer <API key>'");
        }
        KeyInfo? key;
        try
        {
            key = await store.FindAsync(ApiKeyTokens.Hash(header[7..].Trim()), Context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AccessLog.KeyStoreUnavailable(Logger, ex.GetBaseException().Message);
            return Fail(StatusCode.Unavailable, "the key store is unavailable, retry later");
        }
        if (key is null)
        {
            return Fail(StatusCode.Unauthenticated, "unknown API key");
        }
        if (key.RevokedAtMs is not null)
        {
            return Fail(StatusCode.Unauthenticated, $"API key '{key.Name}' was revoked");
        }
        if (key.ExpiresAtMs is { } expires && expires <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return Fail(StatusCode.Unauthenticated, $"API key '{key.Name}' expired at {DateTimeOffset.FromUnixTimeMilliseconds(expires):u}");
        }
        if (!AccessRoles.IsRole(key.Role))
        {
            return Fail(StatusCode.Unauthenticated, $"API key '{key.Name}' has no valid role");
        }
        var principal = AccessClaims.Principal(SchemeName, key.Name, key.Role, key.Method, key.KeyId);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The refusal itself (gRPC status or HTTP body) is written by AccessResultHandler.
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private AuthenticateResult Fail(StatusCode code, string message)
    {
        AccessFailure.Set(Context, code, message);
        return AuthenticateResult.Fail(message);
    }
}
