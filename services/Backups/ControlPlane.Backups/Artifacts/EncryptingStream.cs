using System.Buffers.Binary;
using System.Security.Cryptography;
using static ControlPlane.Backups.Artifacts.EncryptionFormat;

namespace ControlPlane.Backups.Artifacts;

/// <summary>Write-only: encrypts what is written into <see cref="EncryptionFormat"/> chunks. Disposing writes the last chunk.</summary>
public sealed class EncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _plain = new byte[ChunkSize];
    private readonly byte[] _sealed = new byte[ChunkHeaderSize + ChunkSize + TagSize];
    private int _filled;
    private long _index;
    private bool _finished;

    private EncryptingStream(Stream inner, byte[] fileKey)
    {
        _inner = inner;
        _aes = new AesGcm(fileKey, TagSize);
    }

    /// <summary>Writes the header for <paramref name="keyId"/> and returns the stream to write the plaintext to.</summary>
    public static EncryptingStream Create(Stream inner, string keyId, byte[] masterKey)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var fileKey = DeriveFileKey(masterKey, salt, keyId);
        inner.Write(Header(keyId, salt, KeyCheck(fileKey)));
        return new EncryptingStream(inner, fileKey);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            if (_filled == ChunkSize)
            {
                _inner.Write(_sealed, 0, Seal(last: false));
            }
            buffer = Fill(buffer);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            if (_filled == ChunkSize)
            {
                await _inner.WriteAsync(_sealed.AsMemory(0, Seal(last: false)), cancellationToken);
            }
            var taken = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer.Span[..taken].CopyTo(_plain.AsSpan(_filled));
            _filled += taken;
            buffer = buffer[taken..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Chunks are only written whole; flushing passes on what is already sealed.</summary>
    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private ReadOnlySpan<byte> Fill(ReadOnlySpan<byte> buffer)
    {
        var taken = Math.Min(buffer.Length, ChunkSize - _filled);
        buffer[..taken].CopyTo(_plain.AsSpan(_filled));
        _filled += taken;
        return buffer[taken..];
    }

    /// <summary>Encrypts the buffered plaintext into <see cref="_sealed"/>; returns the chunk's length.</summary>
    private int Seal(bool last)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        Span<byte> associated = stackalloc byte[9];
        Nonce(nonce, _index);
        AssociatedData(associated, _index, last);
        _sealed[0] = last ? LastFlag : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(_sealed.AsSpan(1), _filled);
        _aes.Encrypt(nonce, _plain.AsSpan(0, _filled), _sealed.AsSpan(ChunkHeaderSize, _filled),
            _sealed.AsSpan(ChunkHeaderSize + _filled, TagSize), associated);
        _index++;
        var length = ChunkHeaderSize + _filled + TagSize;
        _filled = 0;
        return length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            _inner.Write(_sealed, 0, Seal(last: true));
            _inner.Dispose();
            _aes.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            await _inner.WriteAsync(_sealed.AsMemory(0, Seal(last: true)));
            await _inner.DisposeAsync();
            _aes.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
