using System.IO.Compression;
using System.Security.Cryptography;
using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Artifacts;

/// <summary>Writes and reads artifact files as streams: plaintext → (gzip) → (AES-256-GCM) → file, hashed on the way.</summary>
public static class ArtifactFiles
{
    private const int FileBuffer = 1 << 16;

    /// <summary>The stored file, and how many plaintext bytes were written to it.</summary>
    public sealed record Written(ArtifactFile File, long PlainBytes);

    /// <param name="produce">Writes the plaintext; the stream counts what it was given (for progress).</param>
    public static async Task<Written> WriteAsync(string folder, string baseName, bool gzip, string? keyId, byte[]? key,
        Func<HashingStream, CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        var name = ArtifactRepository.FileName(baseName, gzip, key is not null);
        var stored = new HashingStream(new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write,
            FileShare.None, FileBuffer, useAsync: true));
        Stream stream = stored;
        if (key is not null)
        {
            stream = EncryptingStream.Create(stream, keyId!, key);
        }
        if (gzip)
        {
            stream = new GZipStream(stream, CompressionLevel.Optimal);
        }
        var plain = new HashingStream(stream, hash: false);
        await using (plain)
        {
            await produce(plain, cancellationToken);
        }
        return new Written(new ArtifactFile { Path = name, SizeBytes = stored.Bytes, Sha256 = stored.Sha256Hex }, plain.Bytes);
    }

    /// <summary>An artifact file opened for reading its plaintext; <see cref="Stored"/> counts the stored bytes read.</summary>
    public sealed class Opened(Stream plain, HashingStream stored) : IAsyncDisposable
    {
        public Stream Plain => plain;
        public HashingStream Stored => stored;

        public ValueTask DisposeAsync() => plain.DisposeAsync();
    }

    /// <exception cref="BackupKeyException">The key it was encrypted with is missing or differs.</exception>
    public static async Task<Opened> OpenAsync(string path, EncryptionKeyRing keys, CancellationToken cancellationToken)
    {
        var stored = new HashingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBuffer, useAsync: true), hash: false);
        Stream stream = stored;
        try
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".enc", StringComparison.Ordinal))
            {
                stream = await DecryptingStream.OpenAsync(stream, keys.Find, cancellationToken);
                name = name[..^4];
            }
            if (name.EndsWith(".gz", StringComparison.Ordinal))
            {
                stream = new GZipStream(stream, CompressionMode.Decompress);
            }
            return new Opened(stream, stored);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBuffer, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
