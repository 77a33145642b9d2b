namespace ControlPlane.Dashboard.Doctor;

/// <summary>
/// Sends each gRPC call of a channel to its service's address, so checks written against one channel (cpctl's,
/// which talks to one address behind a load balancer) also work when the services answer at addresses of their own.
/// </summary>
public sealed class ServiceRouter(IReadOnlyDictionary<string, Uri> byService, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // gRPC paths are /package.Service/Method.
        var service = request.RequestUri!.AbsolutePath.TrimStart('/').Split('/')[0];
        if (byService.TryGetValue(service, out var address))
        {
            request.RequestUri = new Uri(address, request.RequestUri.PathAndQuery);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
