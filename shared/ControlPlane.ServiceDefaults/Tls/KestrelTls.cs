using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ControlPlane.ServiceDefaults.Tls;

/// <summary>TLS for Kestrel's https:// listeners: the server certificate and, with a client CA, client certificates.</summary>
public sealed class KestrelTls
{
    private readonly X509Certificate2 _certificate;
    private readonly bool _askForClientCertificates;

    private KestrelTls(X509Certificate2 certificate, bool askForClientCertificates)
    {
        _certificate = certificate;
        _askForClientCertificates = askForClientCertificates;
    }

    /// <summary>
    /// Read at start, so a missing or unreadable file stops the process with the setting's name; null when no URL is
    /// https://.
    /// </summary>
    public static KestrelTls? Load(TlsOptions tls, params string[] urls)
    {
        var https = urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (!https)
        {
            if (tls.AcceptsClientCertificates)
            {
                throw new InvalidOperationException(
                    $"{TlsOptions.SectionName}:ClientCaFile is set, but client certificates need TLS: make ControlPlane:HttpUrl or ControlPlane:GrpcUrl https://.");
            }
            return null;
        }
        if (tls.CertificateFile.Length == 0 || tls.KeyFile.Length == 0)
        {
            throw new InvalidOperationException(
                $"An https:// URL needs {TlsOptions.SectionName}:CertificateFile and {TlsOptions.SectionName}:KeyFile (PEM files of the server certificate and its key).");
        }
        var certificate = PemFiles.CertificateWithKey(tls.CertificateFile, tls.KeyFile,
            $"{TlsOptions.SectionName}:CertificateFile", $"{TlsOptions.SectionName}:KeyFile");
        if (tls.AcceptsClientCertificates)
        {
            // Read now too, so a bad client CA fails the start rather than every call.
            PemFiles.Authorities(tls.ClientCaFile, $"{TlsOptions.SectionName}:ClientCaFile");
        }
        return new KestrelTls(certificate, tls.AcceptsClientCertificates);
    }

    public void Use(ListenOptions listen) =>
        listen.UseHttps(https =>
        {
            https.ServerCertificate = _certificate;
            if (_askForClientCertificates)
            {
                // Asked for in the handshake (HTTP/2 cannot renegotiate), and optional: bearer tokens keep working.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                // The handshake accepts any certificate; certificate authentication checks it against the client CA,
                // so a refused one is answered with a reason instead of a dropped connection.
                https.ClientCertificateValidation = (_, _, _) => true;
            }
        });
}
