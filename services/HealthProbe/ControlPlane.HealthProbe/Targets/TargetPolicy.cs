using System.Net;
using System.Net.Sockets;
using ControlPlane.HealthProbe.Probing;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.Targets;

/// <summary>
/// Which addresses the prober may fetch (secure by default): http/https only, never link-local or cloud
/// metadata addresses unless an operator allows them, and only the allowed networks when a list is set.
/// Checked on the registered URL and again on every address a host name resolves to, at connect time, so a
/// DNS answer cannot smuggle a denied address in.
/// </summary>
public sealed class TargetPolicy(IOptions<HealthProbeOptions> options)
{
    /// <returns>Why the URL may not be probed, or null when it may.</returns>
    public string? CheckUrl(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{address}' is not an http:// or https:// URL";
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? CheckAddress(ip) : null;
    }

    /// <returns>Why this IP address may not be connected to, or null when it may.</returns>
    public string? CheckAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var o = options.Value;
        if (o.AllowedNetworks.Count > 0)
        {
            return o.AllowedNetworks.Any(n => IPNetwork.Parse(n).Contains(address))
                ? null
                : $"{address} is outside the allowed networks";
        }
        var denied = o.DeniedNetworks.FirstOrDefault(n => IPNetwork.Parse(n).Contains(address));
        return denied is null ? null : $"{address} is in the denied network {denied} (link-local or cloud metadata)";
    }

    /// <summary>The connect step of the prober's HTTP handler: resolve, check every address, connect to an allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        string? refusal = null;
        foreach (var address in addresses)
        {
            refusal = CheckAddress(address);
            if (refusal is not null)
            {
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endpoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new TargetRefusedException(refusal ?? $"{endpoint.Host} has no address");
    }
}

/// <summary>The target policy forbade connecting: nothing was sent.</summary>
public sealed class TargetRefusedException(string reason) : Exception($"refused by target policy: {reason}");
