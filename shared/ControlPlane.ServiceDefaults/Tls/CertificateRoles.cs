using System.Security.Cryptography.X509Certificates;
using ControlPlane.ServiceDefaults.Access;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Tls;

/// <summary>
/// mTLS → role: a client certificate issued by ControlPlane:Tls:ClientCaFile authenticates as its subject's common
/// name, with the role Access:CertificateRoles:&lt;common name&gt; gives it.
/// </summary>
public static class CertificateRoles
{
    public const string SchemeName = CertificateAuthenticationDefaults.AuthenticationScheme;

    public static bool Configured(TlsOptions tls, AccessOptions access) => tls.AcceptsClientCertificates && access.CertificateRoles.Count > 0;

    public static void Validate(AccessOptions access)
    {
        foreach (var (name, role) in access.CertificateRoles)
        {
            if (!AccessRoles.IsRole(role))
            {
                throw new InvalidOperationException($"Access:CertificateRoles:{name} must be one of {string.Join(", ", AccessRoles.All)}, not '{role}'.");
            }
        }
    }

    /// <summary>The scheme a request authenticates with: a bearer token when it sends one, else its client certificate.</summary>
    public static string SelectScheme(HttpContext context, TlsOptions tls)
    {
        if (!tls.AcceptsClientCertificates || context.Request.Headers.Authorization.Count > 0 || context.Connection.ClientCertificate is null)
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }
        // Said when the certificate handler refuses the certificate itself (chain, validity, use): it gives no reason
        // of its own to the caller. A mapping failure replaces it with its own; the challenge selects again, and must
        // not put this one back.
        if (AccessFailure.Get(context) is null)
        {
            AccessFailure.Set(context, StatusCode.Unauthenticated,
                "client certificate refused: it must be valid, for client authentication, and issued by the CA of ControlPlane:Tls:ClientCaFile");
        }
        return SchemeName;
    }

    public static AuthenticationBuilder AddControlPlaneCertificates(this AuthenticationBuilder authentication, TlsOptions tls)
    {
        var authorities = PemFiles.Authorities(tls.ClientCaFile, $"{TlsOptions.SectionName}:ClientCaFile");
        return authentication.AddCertificate(SchemeName, o =>
        {
            o.AllowedCertificateTypes = CertificateTypes.Chained;
            o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            o.CustomTrustStore = authorities;
            o.RevocationMode = X509RevocationMode.NoCheck;
            o.Events = new CertificateAuthenticationEvents { OnCertificateValidated = MapRole };
        });
    }

    private static Task MapRole(CertificateValidatedContext context)
    {
        var name = context.ClientCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var roles = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<AccessOptions>>().CurrentValue.CertificateRoles;
        // Configuration keys are case-insensitive, so the common name is matched that way too.
        var role = roles.FirstOrDefault(r => string.Equals(r.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        if (role is null || !AccessRoles.IsRole(role))
        {
            var message = $"client certificate '{name}' has no role: configure Access:CertificateRoles:{name} (viewer, agent, operator or admin)";
            AccessFailure.Set(context.HttpContext, StatusCode.Unauthenticated, message);
            context.Fail(message);
            return Task.CompletedTask;
        }
        context.Principal = AccessClaims.Principal(SchemeName, name, role, AccessClaims.Certificate);
        context.Success();
        return Task.CompletedTask;
    }
}
