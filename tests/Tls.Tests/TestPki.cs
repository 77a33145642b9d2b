using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.Tls.Tests;

/// <summary>A CA, a server certificate for 127.0.0.1/localhost and client certificates, as PEM files in a temp folder.</summary>
public sealed class TestPki : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestPki()
    {
        Folder = Directory.CreateTempSubdirectory("cp-tls-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ControlPlane test CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        (CertificateFile, KeyFile) = Issue("server", "1.3.6.1.5.5.7.3.1", san.Build());
    }

    public string Folder { get; }
    public string CaFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }

    /// <summary>A client certificate (client authentication use) with this common name, as a certificate with its key.</summary>
    public X509Certificate2 Client(string commonName)
    {
        var (certificate, key) = Issue(commonName, "1.3.6.1.5.5.7.3.2", null);
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private (string Certificate, string Key) Issue(string commonName, string usage, X509Extension? san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        var certificate = Path.Combine(Folder, $"{commonName}.pem");
        var keyFile = Path.Combine(Folder, $"{commonName}.key");
        File.WriteAllText(certificate, issued.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificate, keyFile);
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
