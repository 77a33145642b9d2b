using ControlPlane.Backups.Domain;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Artifacts;

/// <summary>
/// The configured encryption keys, decoded once. Keys live only here, in memory: they are never logged, never
/// written beside an artifact (its header names the key id only) and never sent over the API.
/// </summary>
public sealed class EncryptionKeyRing
{
    private readonly Dictionary<string, byte[]> _keys;

    public EncryptionKeyRing(IOptions<BackupsOptions> options)
    {
        var encryption = options.Value.Encryption;
        if (Problem(encryption) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        _keys = encryption.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);
        ActiveKeyId = encryption.ActiveKey.Length > 0 ? encryption.ActiveKey : null;
    }

    /// <summary>The key id new backups are encrypted with; null when encryption is off.</summary>
    public string? ActiveKeyId { get; }

    public byte[]? ActiveKey => ActiveKeyId is null ? null : _keys[ActiveKeyId];

    public byte[]? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>What is wrong with the configuration, in words that never include a key; null when fine.</summary>
    public static string? Problem(BackupEncryptionOptions encryption)
    {
        foreach (var (id, value) in encryption.Keys)
        {
            if (id.Length is 0 or > EncryptionFormat.MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"Backups:Encryption:Keys: key id '{id}' must be 1-{EncryptionFormat.MaxKeyIdLength} letters, digits, '-', '_' or '.'";
            }
            var bytes = new byte[64];
            if (!Convert.TryFromBase64String(value ?? "", bytes, out var length) || length != 32)
            {
                return $"Backups:Encryption:Keys:{id} must be the base64 of 32 random bytes (an AES-256 key)";
            }
        }
        if (encryption.ActiveKey.Length > 0 && !encryption.Keys.ContainsKey(encryption.ActiveKey))
        {
            return $"Backups:Encryption:ActiveKey names key '{encryption.ActiveKey}', which is not among Backups:Encryption:Keys";
        }
        return null;
    }
}
