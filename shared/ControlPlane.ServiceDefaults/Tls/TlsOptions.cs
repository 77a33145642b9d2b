using Microsoft.Extensions.Configuration;

namespace ControlPlane.ServiceDefaults.Tls;

/// <summary>
/// Section "ControlPlane:Tls": PEM files for serving TLS (used for each https:// URL), for trusting the servers this
/// process calls, for presenting a client certificate, and for accepting client certificates (mTLS → role).
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "ControlPlane:Tls";

    /// <summary>The server certificate (PEM), required when ControlPlane:HttpUrl or ControlPlane:GrpcUrl is https://.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>Its private key (PEM).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>CA certificate(s) (PEM) this process trusts, besides the system's, for the services it calls.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>A client certificate (PEM) this process presents on its calls, for mTLS.</summary>
    public string ClientCertificateFile { get; set; } = "";

    /// <summary>Its private key (PEM).</summary>
    public string ClientKeyFile { get; set; } = "";

    /// <summary>
    /// CA certificate(s) (PEM) that issue client certificates: when set, TLS ports ask for a client certificate and
    /// Access:CertificateRoles maps its common name to a role.
    /// </summary>
    public string ClientCaFile { get; set; } = "";

    public bool AcceptsClientCertificates => ClientCaFile.Length > 0;

    public static TlsOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<TlsOptions>() ?? new TlsOptions();
}
