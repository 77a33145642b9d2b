namespace ControlPlane.Api.Credentials;

/// <summary>
/// Where a local (embedded) control plane keeps its admin key, per gRPC address, for cpctl: a file per address under
/// ~/.config/controlplane/local-tokens holding the path of the token file, not the token, so the secret stays in one place.
/// </summary>
public static class LocalTokens
{
    public static string Folder =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config
            ? config
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "controlplane", "local-tokens");

    public static void Remember(string grpcUrl, string tokenFile)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PointerFor(grpcUrl), tokenFile + "\n");
    }

    /// <summary>The token of a local control plane at this address, when one told where it is.</summary>
    public static string? Find(Uri grpcAddress)
    {
        var pointer = PointerFor(grpcAddress.ToString());
        if (!File.Exists(pointer))
        {
            return null;
        }
        var tokenFile = File.ReadAllText(pointer).Trim();
        return File.Exists(tokenFile) ? File.ReadAllText(tokenFile).Trim() : null;
    }

    private static string PointerFor(string grpcUrl)
    {
        var uri = new Uri(grpcUrl);
        var host = uri.Host is "localhost" or "[::1]" or "::1" ? "127.0.0.1" : uri.Host;
        return Path.Combine(Folder, $"{host.Replace(':', '_')}_{uri.Port}");
    }
}
