using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.ServiceDefaults.Access;

/// <summary>
/// Tokens are 256 random bits, so a plain SHA-256 is enough to keep them (a slow password hash protects guessable
/// secrets; these are not guessable). A lookup is by hash, so the suite never holds or compares a token itself.
/// </summary>
public static class ApiKeyTokens
{
    public const string Prefix = "cpk_";

    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
