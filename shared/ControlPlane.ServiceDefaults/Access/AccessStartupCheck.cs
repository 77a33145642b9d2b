using System.Net;
using ControlPlane.ServiceDefaults.Hosting;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Secure by default: a replica in HA mode, or one that listens beyond loopback, needs a way in that is not made up
/// on the spot, so it refuses to start without configured credentials and says how to configure them.
/// </summary>
public static class AccessStartupCheck
{
    public static void Validate(ServiceMode mode, ControlPlaneOptions hosting, AccessOptions access, bool certificatesConfigured)
    {
        var exposed = !IsLoopback(hosting.HttpUrl) || !IsLoopback(hosting.GrpcUrl);
        if ((mode.HighAvailability || exposed) && access.Keys.Count == 0 && !certificatesConfigured)
        {
            var why = mode.HighAvailability ? "ControlPlane:HighAvailability=true" : $"listening beyond loopback ({hosting.HttpUrl}, {hosting.GrpcUrl})";
            throw new InvalidOperationException(
                $"{why} needs credentials: configure at least one key, e.g. TOKEN=$(openssl rand -hex 32), then " +
                "Access:Keys:admin:Sha256=$(printf %s \"$TOKEN\" | sha256sum | cut -d' ' -f1) and Access:Keys:admin:Role=admin " +
                "(env Access__Keys__admin__Sha256, Access__Keys__admin__Role), or client certificates (ControlPlane:Tls:ClientCaFile " +
                "with Access:CertificateRoles). Each service calling another also needs Access:ClientToken.");
        }
        foreach (var (name, key) in access.Keys)
        {
            if (key.Sha256.Trim().Length != 64 || !key.Sha256.Trim().All(Uri.IsHexDigit))
            {
                throw new InvalidOperationException($"Access:Keys:{name}:Sha256 must be the 64 hex digits of the token's SHA-256.");
            }
            if (!AccessRoles.IsRole(key.Role))
            {
                throw new InvalidOperationException($"Access:Keys:{name}:Role must be one of {string.Join(", ", AccessRoles.All)}, not '{key.Role}'.");
            }
        }
    }

    public static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
}
