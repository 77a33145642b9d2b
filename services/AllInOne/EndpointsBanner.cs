using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.AllInOne;

/// <summary>Prints where the control plane answers, once it listens, so a newcomer knows what to point clients at.</summary>
internal sealed class EndpointsBanner(
    IHostApplicationLifetime lifetime,
    IOptions<ControlPlaneOptions> options,
    IOptions<AccessOptions> access,
    ServiceMode mode) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var grpc = new Uri(options.Value.GrpcUrl);
            Console.WriteLine($"""

                ControlPlane is up ({(options.Value.HighAvailability ? "high availability" : "single instance")}).
                  gRPC    {options.Value.GrpcUrl}  controlplane.v1.Registry, .HealthProbe, .Rollouts, .Backups, .Access (reflection on:
                          grpcurl -plaintext {grpc.Host}:{grpc.Port} list)
                  auth    {Credential()}
                  health  {options.Value.HttpUrl.TrimEnd('/')}/livez  /readyz  /api/health  /metrics
                  web     {options.Value.HttpUrl.TrimEnd('/')}/dashboard  (sign in with an API key)

                """);
        });
        return Task.CompletedTask;
    }

    /// <summary>Where the caller's key is; never the key itself (it is printed once, when it is made).</summary>
    private string Credential() => EmbeddedAdminKey.Applies(mode, options.Value, access.Value)
        ? $"cpctl reads the admin key by itself; grpcurl -H \"authorization: Bearer $(cat {EmbeddedAdminKey.TokenFile(mode)})\""
        : "every call but health and reflection needs an API key: authorization: Bearer <key> (Access:Keys)";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
