using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Backups.Artifacts;

/// <summary>
/// The encrypted artifact format: a header, then AES-256-GCM chunks of at most 1 MiB, so an artifact of any size
/// is encrypted and checked chunk by chunk in flat memory.
/// <code>
/// header: "CPBKENC1" | key id length (1) | key id (UTF-8) | salt (32) | key check (16)
/// chunk:  flags (1, bit 0 = last) | plaintext length (4, big-endian) | ciphertext | tag (16)
/// </code>
/// Each artifact gets its own key, derived with HKDF from the configured key and a random salt, so the chunk
/// counter can serve as the nonce without ever repeating one under a key. The chunk's index and last-flag are
/// authenticated, so reordered, dropped or truncated chunks fail. The key check (an HMAC under the derived key)
/// tells "wrong key" apart from "damaged artifact" before any chunk is read; it reveals nothing of the key.
/// </summary>
public static class EncryptionFormat
{
    public const int ChunkSize = 1 << 20;
    public const int SaltSize = 32;
    public const int CheckSize = 16;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int ChunkHeaderSize = 5;
    public const int MaxKeyIdLength = 64;
    public const byte LastFlag = 1;

    public static ReadOnlySpan<byte> Magic => "CPBKENC1"u8;

    public static byte[] DeriveFileKey(byte[] masterKey, byte[] salt, string keyId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, salt, Encoding.UTF8.GetBytes("controlplane-backups-v1:" + keyId));

    public static byte[] KeyCheck(byte[] fileKey) => HMACSHA256.HashData(fileKey, "controlplane-backups key check"u8)[..CheckSize];

    public static byte[] Header(string keyId, byte[] salt, byte[] keyCheck)
    {
        var id = Encoding.UTF8.GetBytes(keyId);
        var header = new byte[Magic.Length + 1 + id.Length + SaltSize + CheckSize];
        Magic.CopyTo(header);
        header[Magic.Length] = (byte)id.Length;
        id.CopyTo(header, Magic.Length + 1);
        salt.CopyTo(header, Magic.Length + 1 + id.Length);
        keyCheck.CopyTo(header, Magic.Length + 1 + id.Length + SaltSize);
        return header;
    }

    public static void Nonce(Span<byte> nonce, long index)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }

    /// <summary>Associated data of a chunk: its index and whether it is the last.</summary>
    public static void AssociatedData(Span<byte> data, long index, bool last)
    {
        BinaryPrimitives.WriteInt64BigEndian(data, index);
        data[8] = last ? LastFlag : (byte)0;
    }
}

/// <summary>The artifact cannot be decrypted with the configured keys. The message names the key id, never the key.</summary>
public sealed class BackupKeyException(string message) : Exception(message);
