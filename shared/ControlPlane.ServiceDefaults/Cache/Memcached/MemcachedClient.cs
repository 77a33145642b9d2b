using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.ServiceDefaults.Telemetry;

namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>
/// A small client for memcached's text protocol (get, set, add, delete, incr, version) over a pool of connections.
/// Keys go through <see cref="MemcachedKey.Encode"/>. A server that cannot be reached, or answers later than the
/// timeout, raises <see cref="MemcachedUnavailableException"/> and opens a <see cref="MemcachedCircuit"/>, so the
/// calls after it fail at once until a probe finds the server back.
/// </summary>
public sealed class MemcachedClient : IAsyncDisposable
{
    // Memcached reads an expiry above 30 days as a Unix time rather than a number of seconds.
    private const int MaxRelativeExpiry = 60 * 60 * 24 * 30;
    private readonly MemcachedEndpoint _endpoint;
    private readonly MemcachedClientOptions _options;
    private readonly TimeProvider _time;
    private readonly MemcachedCircuit _circuit;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<MemcachedConnection> _idle = new();
    private volatile bool _disposed;

    public MemcachedClient(MemcachedEndpoint endpoint, MemcachedClientOptions? options = null, TimeProvider? time = null)
    {
        _endpoint = endpoint;
        _options = options ?? new MemcachedClientOptions();
        _time = time ?? TimeProvider.System;
        _circuit = new MemcachedCircuit(_options.MinBackoff, _options.MaxBackoff, _time);
        _slots = new SemaphoreSlim(_options.PoolSize, _options.PoolSize);
    }

    public MemcachedEndpoint Endpoint => _endpoint;

    /// <summary>False from a failure until a call reaches the server again.</summary>
    public bool Reachable => _circuit.IsClosed;

    /// <summary>The values found, by the keys as given; keys not in the cache are absent.</summary>
    public Task<IReadOnlyDictionary<string, byte[]>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(new Dictionary<string, byte[]>());
        }
        var byEncoded = keys.Distinct().ToDictionary(MemcachedKey.Encode);
        var command = Encoding.ASCII.GetBytes($"get {string.Join(' ', byEncoded.Keys)}\r\n");
        return RunAsync<IReadOnlyDictionary<string, byte[]>>("get", command, async (connection, token) =>
        {
            var found = new Dictionary<string, byte[]>();
            while (await connection.ReadLineAsync(token) is var line && line != "END")
            {
                // VALUE <key> <flags> <bytes>
                var parts = line.Split(' ');
                if (parts is not ["VALUE", var key, _, var size] || !int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    throw Unexpected(line);
                }
                var value = await connection.ReadBlockAsync(length, token);
                if (byEncoded.TryGetValue(key, out var original))
                {
                    found[original] = value;
                }
            }
            return found;
        }, cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        (await GetAsync([key], cancellationToken)).GetValueOrDefault(key);

    /// <summary>Stores the value for <paramref name="ttl"/> (rounded up to whole seconds).</summary>
    public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken) =>
        StoreAsync("set", key, value, ttl, cancellationToken);

    /// <summary>Stores the value only if the key is not there; false if it was.</summary>
    public Task<bool> AddAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken) =>
        StoreAsync("add", key, value, ttl, cancellationToken);

    /// <summary>False if the key was not there.</summary>
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) =>
        RunAsync("delete", Encoding.ASCII.GetBytes($"delete {MemcachedKey.Encode(key)}\r\n"), async (connection, token) =>
            await connection.ReadLineAsync(token) switch
            {
                "DELETED" => true,
                "NOT_FOUND" => false,
                var line => throw Unexpected(line),
            }, cancellationToken);

    /// <summary>The value after adding <paramref name="delta"/>, or null if the key is not there.</summary>
    public Task<ulong?> IncrementAsync(string key, ulong delta, CancellationToken cancellationToken) =>
        RunAsync("incr", Encoding.ASCII.GetBytes($"incr {MemcachedKey.Encode(key)} {delta}\r\n"), async (connection, token) =>
        {
            var line = await connection.ReadLineAsync(token);
            return line == "NOT_FOUND" ? (ulong?)null
                : ulong.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Unexpected(line);
        }, cancellationToken);

    /// <summary>The server's version: a cheap round trip for health checks.</summary>
    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        RunAsync("version", "version\r\n"u8.ToArray(), async (connection, token) =>
            await connection.ReadLineAsync(token) is var line && line.StartsWith("VERSION ", StringComparison.Ordinal)
                ? line["VERSION ".Length..]
                : throw Unexpected(line), cancellationToken);

    private Task<bool> StoreAsync(string verb, string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var header = Encoding.ASCII.GetBytes($"{verb} {MemcachedKey.Encode(key)} 0 {Expiry(ttl)} {value.Length}\r\n");
        var command = new byte[header.Length + value.Length + 2];
        header.CopyTo(command, 0);
        value.CopyTo(command.AsMemory(header.Length));
        "\r\n"u8.CopyTo(command.AsSpan(header.Length + value.Length));
        return RunAsync(verb, command, async (connection, token) => await connection.ReadLineAsync(token) switch
        {
            "STORED" => true,
            "NOT_STORED" => false,
            var line => throw Unexpected(line),
        }, cancellationToken);
    }

    private long Expiry(TimeSpan ttl)
    {
        var seconds = (long)Math.Ceiling(ttl.TotalSeconds);
        return seconds <= MaxRelativeExpiry ? seconds : _time.GetUtcNow().ToUnixTimeSeconds() + seconds;
    }

    private async Task<T> RunAsync<T>(string verb, byte[] command, Func<MemcachedConnection, CancellationToken, Task<T>> readReply, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_circuit.TryEnter())
        {
            throw new MemcachedUnavailableException($"memcached at {_endpoint} failed recently; waiting out the back-off");
        }
        // A client span per command, as the Redis instrumentation gives for Redis, so cache calls show in their trace.
        using var activity = ServiceDefaultsTelemetry.Source.StartActivity("memcached " + verb, ActivityKind.Client);
        activity?.SetTag("db.system", "memcached");
        activity?.SetTag("server.address", _endpoint.Host);
        activity?.SetTag("server.port", _endpoint.Port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var holdsSlot = false;
        MemcachedConnection? connection = null;
        try
        {
            await _slots.WaitAsync(timeout.Token);
            holdsSlot = true;
            connection = _idle.TryDequeue(out var idle) ? idle : await MemcachedConnection.OpenAsync(_endpoint, timeout.Token);
            await connection.WriteAsync(command, timeout.Token);
            var result = await readReply(connection, timeout.Token);
            Return(ref connection);
            _circuit.Succeeded();
            return result;
        }
        catch (MemcachedCommandException)
        {
            // The server is up, but after some errors (a bad data chunk) it may still be reading the command: the
            // connection is closed rather than trusted to be in step.
            _circuit.Succeeded();
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _circuit.Abandoned();
            throw;
        }
        catch (Exception ex)
        {
            // A timeout, a socket or stream error, or anything else unforeseen: the cache counts as down either way, and
            // a caller of the cache only ever sees MemcachedUnavailableException (never a probe left hanging).
            _circuit.Failed();
            // The other idle connections most likely died with this one (a restart): open fresh ones after the back-off.
            while (_idle.TryDequeue(out var stale))
            {
                await stale.DisposeAsync();
            }
            var reason = ex is OperationCanceledException ? $"no answer within {_options.Timeout.TotalMilliseconds:F0} ms" : ex.Message;
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            throw new MemcachedUnavailableException($"memcached at {_endpoint} unavailable: {reason}", ex);
        }
        finally
        {
            // Still set when the call broke off mid-reply: such a connection is out of step and cannot be reused.
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            if (holdsSlot)
            {
                _slots.Release();
            }
        }
    }

    private void Return(ref MemcachedConnection? connection)
    {
        if (connection is not null && !_disposed)
        {
            _idle.Enqueue(connection);
            connection = null;
        }
    }

    private static Exception Unexpected(string line) =>
        line.StartsWith("SERVER_ERROR", StringComparison.Ordinal) || line.StartsWith("CLIENT_ERROR", StringComparison.Ordinal) || line == "ERROR"
            ? new MemcachedCommandException($"memcached refused the command: {line}")
            : new IOException($"unexpected reply from memcached: {(line.Length > 80 ? line[..80] : line)}");

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var connection))
        {
            await connection.DisposeAsync();
        }
    }
}
