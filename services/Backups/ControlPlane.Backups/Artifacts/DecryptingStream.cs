using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using static ControlPlane.Backups.Artifacts.EncryptionFormat;

namespace ControlPlane.Backups.Artifacts;

/// <summary>Read-only: the plaintext of an encrypted artifact, checked chunk by chunk as it is read.</summary>
public sealed class DecryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _sealed = new byte[ChunkSize + TagSize];
    private readonly byte[] _plain = new byte[ChunkSize];
    private readonly byte[] _chunkHeader = new byte[ChunkHeaderSize];
    private int _offset;
    private int _available;
    private long _index;
    private bool _last;

    private DecryptingStream(Stream inner, byte[] fileKey, string keyId)
    {
        _inner = inner;
        _aes = new AesGcm(fileKey, TagSize);
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>Reads the header and checks that <paramref name="keys"/> holds the key it names.</summary>
    /// <exception cref="BackupKeyException">The key is not configured, or the configured one is another key.</exception>
    /// <exception cref="InvalidDataException">Not an encrypted artifact.</exception>
    public static async Task<DecryptingStream> OpenAsync(Stream inner, Func<string, byte[]?> keys, CancellationToken cancellationToken)
    {
        var magic = new byte[Magic.Length + 1];
        await ReadExactAsync(inner, magic, cancellationToken);
        if (!magic.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("the artifact is not an encrypted backup artifact (bad header)");
        }
        var rest = new byte[magic[^1] + SaltSize + CheckSize];
        await ReadExactAsync(inner, rest, cancellationToken);
        var keyId = Encoding.UTF8.GetString(rest, 0, magic[^1]);
        var master = keys(keyId) ?? throw new BackupKeyException(
            $"the artifact is encrypted with key '{keyId}', which is not configured (Backups:Encryption:Keys:{keyId})");
        var fileKey = DeriveFileKey(master, rest.AsSpan(magic[^1], SaltSize).ToArray(), keyId);
        if (!CryptographicOperations.FixedTimeEquals(KeyCheck(fileKey), rest.AsSpan(magic[^1] + SaltSize, CheckSize)))
        {
            throw new BackupKeyException(
                $"wrong encryption key: the configured key '{keyId}' is not the key this artifact was encrypted with");
        }
        return new DecryptingStream(inner, fileKey, keyId);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_available == 0)
        {
            if (_last)
            {
                return 0;
            }
            await NextChunkAsync(cancellationToken);
        }
        var count = Math.Min(buffer.Length, _available);
        _plain.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        _available -= count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async Task NextChunkAsync(CancellationToken cancellationToken)
    {
        if (!await ReadExactAsync(_inner, _chunkHeader, cancellationToken, eofAllowed: true))
        {
            throw new InvalidDataException($"the artifact is truncated: it ends after chunk {_index} without its last chunk");
        }
        var last = (_chunkHeader[0] & LastFlag) != 0;
        var length = BinaryPrimitives.ReadInt32BigEndian(_chunkHeader.AsSpan(1));
        if (length is < 0 or > ChunkSize)
        {
            throw new InvalidDataException($"chunk {_index} of the artifact is damaged (length {length})");
        }
        await ReadExactAsync(_inner, _sealed.AsMemory(0, length + TagSize), cancellationToken);
        Span<byte> nonce = stackalloc byte[NonceSize];
        Span<byte> associated = stackalloc byte[9];
        Nonce(nonce, _index);
        AssociatedData(associated, _index, last);
        try
        {
            _aes.Decrypt(nonce, _sealed.AsSpan(0, length), _sealed.AsSpan(length, TagSize), _plain.AsSpan(0, length), associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidDataException($"chunk {_index} of the artifact failed authentication: the artifact was changed or damaged");
        }
        _index++;
        _offset = 0;
        _available = length;
        _last = last;
    }

    private static async Task<bool> ReadExactAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken, bool eofAllowed = false)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == buffer.Length)
        {
            return true;
        }
        if (read == 0 && eofAllowed)
        {
            return false;
        }
        throw new InvalidDataException("the artifact is truncated");
    }

    public override void Flush()
    {
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _aes.Dispose();
        }
        base.Dispose(disposing);
    }
}
