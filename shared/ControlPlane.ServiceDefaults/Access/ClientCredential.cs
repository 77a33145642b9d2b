using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// The bearer token this process presents to the other services: Access:ClientToken, else the file
/// Access:ClientTokenFile, else the process's own credential (which only this process accepts).
/// </summary>
public sealed class ClientCredential(IOptions<AccessOptions> options, ProcessCredential process)
{
    private readonly Lazy<string> _token = new(() => Read(options.Value, process));

    public string Token => _token.Value;

    public bool IsConfigured => options.Value.ClientToken.Length > 0 || options.Value.ClientTokenFile.Length > 0;

    private static string Read(AccessOptions options, ProcessCredential process)
    {
        if (options.ClientToken.Length > 0)
        {
            return options.ClientToken.Trim();
        }
        if (options.ClientTokenFile.Length > 0)
        {
            return File.ReadAllText(options.ClientTokenFile).Trim();
        }
        return process.Token;
    }
}
