using System.Security.Cryptography;

namespace ControlPlane.Backups.Artifacts;

/// <summary>
/// Passes bytes through to or from <paramref name="inner"/>, counting them and (unless <paramref name="hash"/> is
/// false) computing their SHA-256 on the way, so an artifact is hashed as it is written or read, never held whole.
/// </summary>
public sealed class HashingStream(Stream inner, bool hash = true, bool leaveOpen = false) : Stream
{
    private readonly IncrementalHash? _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    private byte[]? _final;

    public long Bytes { get; private set; }

    /// <summary>Lower-case hex SHA-256 of every byte that passed; ends the hashing.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(_final ??= _hash?.GetHashAndReset() ?? throw new InvalidOperationException("not hashing"));

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Add(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Add(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Add(buffer);
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Add(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Add(ReadOnlySpan<byte> bytes)
    {
        _hash?.AppendData(bytes);
        Bytes += bytes.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }
        if (disposing && _hash is not null)
        {
            _final ??= _hash.GetHashAndReset();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
