using ControlPlane.Contracts;
using ControlPlane.HealthProbe.State;
using MassTransit;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.HealthProbe.Bus;

/// <summary>
/// Every prober replica, on a queue of its own: an app's spec changed, so its instances are probed by the new
/// spec from their next round. Idempotent: reading the spec again is harmless.
/// </summary>
public sealed class AppSpecConsumer(RegistryClient registry, HealthMonitor monitor) : IConsumer<AppUpserted>
{
    public const string EndpointName = "healthprobe-specs";

    public async Task Consume(ConsumeContext<AppUpserted> context)
    {
        var app = await registry.GetAppAsync(new Api.V1.GetAppRequest { Name = context.Message.App }, cancellationToken: context.CancellationToken);
        monitor.SetSpec(app.Name, app.HealthCheck);
    }
}
