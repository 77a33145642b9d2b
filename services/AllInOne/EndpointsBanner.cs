using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.AllInOne;

/// <summary>Prints where the control plane answers, once it listens, so a newcomer knows what to point clients at.</summary>
internal sealed class EndpointsBanner(IHostApplicationLifetime lifetime, IOptions<ControlPlaneOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var grpc = new Uri(options.Value.GrpcUrl);
            Console.WriteLine($"""

                ControlPlane is up ({(options.Value.HighAvailability ? "high availability" : "single instance")}).
                  gRPC    {options.Value.GrpcUrl}  controlplane.v1.Registry, .HealthProbe, .Rollouts, .Backups (reflection on:
                          grpcurl -plaintext {grpc.Host}:{grpc.Port} list)
                  health  {options.Value.HttpUrl.TrimEnd('/')}/livez  /readyz  /api/health  /metrics

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
