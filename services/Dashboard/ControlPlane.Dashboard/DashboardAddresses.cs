using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Dashboard;

/// <summary>Where each service answers: Dashboard:*Url, or else this process's own gRPC endpoint (AllInOne).</summary>
public sealed class DashboardAddresses(IOptions<DashboardOptions> options, IServiceProvider services)
{
    public Uri Registry => ServiceAddresses.Resolve(services, options.Value.RegistryUrl);

    public Uri HealthProbe => ServiceAddresses.Resolve(services, options.Value.HealthProbeUrl);

    public Uri Rollouts => ServiceAddresses.Resolve(services, options.Value.RolloutsUrl);

    public Uri Backups => ServiceAddresses.Resolve(services, options.Value.BackupsUrl);

    public IReadOnlyDictionary<string, Uri> ByService() => new Dictionary<string, Uri>
    {
        ["controlplane.v1.Registry"] = Registry,
        ["controlplane.v1.Access"] = Registry,
        ["controlplane.v1.HealthProbe"] = HealthProbe,
        ["controlplane.v1.Rollouts"] = Rollouts,
        ["controlplane.v1.Backups"] = Backups,
    };

    /// <summary>
    /// The replicas doctor reads when none are configured: in AllInOne its own HTTP endpoint; in the dashboard's own
    /// host the services' addresses (their gRPC ports answer /api/health too).
    /// </summary>
    public IReadOnlyList<string> Replicas(ControlPlaneOptions hosting)
    {
        var configured = new[] { options.Value.RegistryUrl, options.Value.HealthProbeUrl, options.Value.RolloutsUrl, options.Value.BackupsUrl };
        return configured.All(string.IsNullOrWhiteSpace)
            ? [hosting.HttpUrl]
            : configured.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct().ToList();
    }
}
