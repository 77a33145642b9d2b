using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ServiceDefaults.Tls;

/// <summary>
/// A client's TLS: servers are trusted when the system trusts them or their chain ends at ControlPlane:Tls:CaFile, and
/// ControlPlane:Tls:ClientCertificateFile (with its key) is presented when configured.
/// </summary>
public static class TrustedCa
{
    /// <summary>The TLS settings on a client's own handler (gRPC's client factory makes a <see cref="SocketsHttpHandler"/>).</summary>
    public static IHttpClientBuilder AddControlPlaneTls(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler((handler, services) =>
        {
            var tls = TlsOptions.From(services.GetRequiredService<IConfiguration>());
            if (tls.CaFile.Length == 0 && tls.ClientCertificateFile.Length == 0 && tls.ClientKeyFile.Length == 0)
            {
                return;
            }
            Apply(handler as SocketsHttpHandler
                ?? throw new InvalidOperationException($"{builder.Name}: TLS settings need a SocketsHttpHandler, not {handler.GetType().Name}."), tls);
        });

    public static void Apply(SocketsHttpHandler handler, TlsOptions tls)
    {
        if (tls.CaFile.Length > 0)
        {
            var authorities = PemFiles.Authorities(tls.CaFile, $"{TlsOptions.SectionName}:CaFile");
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && IsTrusted(authorities, certificate, errors);
        }
        if (tls.ClientCertificateFile.Length > 0 || tls.ClientKeyFile.Length > 0)
        {
            var client = PemFiles.CertificateWithKey(tls.ClientCertificateFile, tls.ClientKeyFile,
                $"{TlsOptions.SectionName}:ClientCertificateFile", $"{TlsOptions.SectionName}:ClientKeyFile");
            // Always this one: the default choice needs the server to list acceptable issuers, which not every server does.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }
    }

    /// <summary>Trusted by the system, or by the given CAs; the name must match either way.</summary>
    public static bool IsTrusted(X509Certificate2Collection authorities, X509Certificate certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }
}
