using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.ServiceDefaults.Hosting;

public static class ServiceAddresses
{
    /// <summary>
    /// The address of another service: the configured one, or else this process's own gRPC endpoint (AllInOne
    /// hosts every service, so each reaches the others there). A wildcard bind is reached over loopback.
    /// </summary>
    public static Uri Resolve(IServiceProvider services, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured);
        }
        var own = new UriBuilder(services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.GrpcUrl);
        if (own.Host is "0.0.0.0" or "*" or "+" or "[::]")
        {
            own.Host = "127.0.0.1";
        }
        return own.Uri;
    }
}
