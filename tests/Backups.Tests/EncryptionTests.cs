using System.Security.Cryptography;
using ControlPlane.Backups.Artifacts;

namespace ControlPlane.Backups.Tests;

/// <summary>The chunked AES-256-GCM format, in memory.</summary>
public class EncryptionTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static byte[] Encrypt(byte[] plain, byte[] key, int writeSize = 4096)
    {
        var stored = new MemoryStream();
        using (var encrypting = EncryptingStream.Create(stored, "k1", key))
        {
            for (var i = 0; i < plain.Length; i += writeSize)
            {
                encrypting.Write(plain, i, Math.Min(writeSize, plain.Length - i));
            }
        }
        return stored.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] stored, byte[] key)
    {
        await using var decrypting = await DecryptingStream.OpenAsync(new MemoryStream(stored), id => id == "k1" ? key : null, default);
        var plain = new MemoryStream();
        await decrypting.CopyToAsync(plain);
        return plain.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(EncryptionFormat.ChunkSize)]
    [InlineData(EncryptionFormat.ChunkSize * 2 + 12345)]
    public async Task WhatIsEncryptedDecryptsToTheSameBytes(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var stored = Encrypt(plain, Key, writeSize: 100_000);
        Assert.Equal(plain, await DecryptAsync(stored, Key));
        Assert.True(size < 64 || stored.AsSpan().IndexOf(plain.AsSpan(0, 64)) < 0);
    }

    [Fact]
    public async Task AnotherKeyUnderTheSameIdIsReportedAsTheWrongKey()
    {
        var stored = Encrypt(RandomNumberGenerator.GetBytes(5000), Key);
        var ex = await Assert.ThrowsAsync<BackupKeyException>(() => DecryptAsync(stored, RandomNumberGenerator.GetBytes(32)));
        Assert.Contains("wrong encryption key", ex.Message);
        await using var stream = new MemoryStream(stored);
        var missing = await Assert.ThrowsAsync<BackupKeyException>(() => DecryptingStream.OpenAsync(stream, _ => null, default));
        Assert.Contains("not configured", missing.Message);
    }

    [Fact]
    public async Task ATamperedOrTruncatedArtifactFailsAuthentication()
    {
        var stored = Encrypt(RandomNumberGenerator.GetBytes(EncryptionFormat.ChunkSize + 100), Key);
        var tampered = (byte[])stored.Clone();
        tampered[^50] ^= 1;
        Assert.Contains("failed authentication", (await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync(tampered, Key))).Message);
        var lastChunk = EncryptionFormat.ChunkHeaderSize + 100 + EncryptionFormat.TagSize;
        Assert.Contains("truncated", (await Assert.ThrowsAsync<InvalidDataException>(() => DecryptAsync(stored[..^lastChunk], Key))).Message);
    }
}
