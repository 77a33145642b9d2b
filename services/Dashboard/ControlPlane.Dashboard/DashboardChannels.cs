using ControlPlane.ServiceDefaults.Tls;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.Dashboard;

/// <summary>
/// One gRPC channel per service address, carrying no credential of its own (each call carries its user's key).
/// Channels of its own rather than the client factory's: a typed client registered by the factory would replace the
/// one AllInOne's services resolve, which carries the process's credential.
/// </summary>
public sealed class DashboardChannels(DashboardAddresses addresses, IConfiguration configuration) : IDisposable
{
    private readonly Lazy<GrpcChannel> _registry = new(() => Open(addresses.Registry, configuration));
    private readonly Lazy<GrpcChannel> _health = new(() => Open(addresses.HealthProbe, configuration));
    private readonly Lazy<GrpcChannel> _rollouts = new(() => Open(addresses.Rollouts, configuration));
    private readonly Lazy<GrpcChannel> _backups = new(() => Open(addresses.Backups, configuration));

    public GrpcChannel Registry => _registry.Value;
    public GrpcChannel HealthProbe => _health.Value;
    public GrpcChannel Rollouts => _rollouts.Value;
    public GrpcChannel Backups => _backups.Value;

    /// <summary>A channel trusting ControlPlane:Tls:CaFile and presenting the client certificate, as the services' own clients do.</summary>
    public static SocketsHttpHandler Transport(IConfiguration configuration)
    {
        var transport = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        var tls = TlsOptions.From(configuration);
        if (tls.CaFile.Length > 0 || tls.ClientCertificateFile.Length > 0 || tls.ClientKeyFile.Length > 0)
        {
            TrustedCa.Apply(transport, tls);
        }
        return transport;
    }

    private static GrpcChannel Open(Uri address, IConfiguration configuration) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = Transport(configuration), DisposeHttpClient = true });

    public void Dispose()
    {
        foreach (var channel in new[] { _registry, _health, _rollouts, _backups }.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }
    }
}
