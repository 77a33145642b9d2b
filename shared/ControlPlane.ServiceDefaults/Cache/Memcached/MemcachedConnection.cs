using System.Net.Sockets;
using System.Text;

namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>One TCP connection speaking the text protocol: whole commands out, reply lines and data blocks in.</summary>
internal sealed class MemcachedConnection : IAsyncDisposable
{
    // A reply line is short ("VALUE <key> <flags> <bytes>"); anything longer means the stream is out of step.
    private const int MaxLineLength = 1024;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private MemcachedConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<MemcachedConnection> OpenAsync(MemcachedEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return new MemcachedConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken) =>
        _stream.WriteAsync(command, cancellationToken);

    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var end = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (end >= 0)
            {
                if (end == _start || _buffer[end - 1] != '\r')
                {
                    throw new IOException("memcached sent a reply line not ended by CRLF");
                }
                var line = Encoding.ASCII.GetString(_buffer, _start, end - 1 - _start);
                _start = end + 1;
                return line;
            }
            scanned = _end - _start;
            if (scanned > MaxLineLength)
            {
                throw new IOException("memcached sent a reply line longer than any the protocol has");
            }
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>A data block of <paramref name="length"/> bytes and the CRLF that ends it.</summary>
    public async Task<byte[]> ReadBlockAsync(int length, CancellationToken cancellationToken)
    {
        var data = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }
            var n = Math.Min(length - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, data, copied, n);
            _start += n;
            copied += n;
        }
        if (await ReadLineAsync(cancellationToken) is not "")
        {
            throw new IOException("memcached data block did not end where its length said");
        }
        return data;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("memcached closed the connection");
        }
        _end += read;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
