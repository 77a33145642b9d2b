using System.Globalization;

namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>One memcached server, from <c>ConnectionStrings:Memcached</c>: <c>host:port</c> (IPv6 as <c>[::1]:11211</c>).</summary>
public sealed record MemcachedEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <paramref name="value"/>, or throws with a message an operator can act on.</summary>
    public static MemcachedEndpoint Parse(string value)
    {
        var text = value.Trim();
        // One server only: the text protocol has no cluster, and hashing keys over several servers would make a
        // server's outage drop a share of the keys rather than degrade the cache as a whole (not needed here).
        if (text.Contains(',') || text.Contains(';') || text.Contains(' '))
        {
            throw Invalid("give exactly one server as host:port");
        }
        if (text.Contains('@') || text.Contains('/'))
        {
            throw Invalid("expected host:port, e.g. 127.0.0.1:11211 (the text protocol has no user, password or path)");
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw Invalid("expected host:port, e.g. 127.0.0.1:11211");
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            throw Invalid("write an IPv6 address in brackets, e.g. [::1]:11211");
        }
        if (host.Length == 0)
        {
            throw Invalid("expected host:port, e.g. 127.0.0.1:11211");
        }
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Invalid("the port must be a number from 1 to 65535");
        }
        return new MemcachedEndpoint(host, port);
    }

    // The value itself is not echoed: a mistyped connection string may hold something that is not meant for logs.
    private static InvalidOperationException Invalid(string reason) =>
        new($"ConnectionStrings:Memcached is not valid: {reason}.");
}
