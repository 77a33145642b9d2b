using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ControlPlane.ServiceDefaults.Tls;

/// <summary>Certificates and keys read from PEM files, with errors that name the setting (never the key's content).</summary>
public static class PemFiles
{
    /// <summary>A certificate with its private key.</summary>
    public static X509Certificate2 CertificateWithKey(string certificateFile, string keyFile, string certificateSetting, string keySetting)
    {
        if (certificateFile.Length == 0 || keyFile.Length == 0)
        {
            throw new InvalidOperationException($"{certificateSetting} and {keySetting} must both name PEM files.");
        }
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Round-trip through PKCS#12: a PEM key is ephemeral, which SslStream cannot use on every platform (Windows).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{certificateSetting} '{certificateFile}' with {keySetting} '{keyFile}' could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Every certificate of a PEM file (a CA bundle).</summary>
    public static X509Certificate2Collection Authorities(string file, string setting)
    {
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting} '{file}' could not be read: {ex.Message}", ex);
        }
        return all.Count > 0 ? all : throw new InvalidOperationException($"{setting} '{file}' holds no PEM certificate.");
    }
}
