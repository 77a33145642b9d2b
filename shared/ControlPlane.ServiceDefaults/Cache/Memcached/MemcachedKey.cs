using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>Maps any string to a key the text protocol accepts: at most 250 bytes, no spaces or control characters.</summary>
public static class MemcachedKey
{
    public const int MaxLength = 250;

    // Keys that need hashing become this marker plus the SHA-256 of their UTF-8 bytes. A key that already starts with
    // the marker is hashed too, so a literal key can never equal the hashed form of another.
    private const string HashedMarker = "#sha256:";

    public static string Encode(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length is > 0 and <= MaxLength && !key.StartsWith(HashedMarker, StringComparison.Ordinal) && bytes.All(IsAllowed))
        {
            return key;
        }
        return HashedMarker + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    // Bytes above 0x7f (UTF-8 of non-ASCII text) are allowed by memcached, but hashing them keeps every key plain ASCII,
    // so the protocol lines can be written and read as ASCII without a second encoding rule.
    private static bool IsAllowed(byte b) => b is > 0x20 and < 0x7f;
}
