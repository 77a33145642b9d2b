using System.Reflection;

namespace ControlPlane.Cpctl;

/// <summary>Puts cpctl's name in front of the gRPC client's user agent, so the suite can tell operators' calls apart.</summary>
public sealed class UserAgentHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly string Version =
        Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var existing = request.Headers.TryGetValues("User-Agent", out var values) ? string.Join(' ', values) : "";
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("User-Agent", $"cpctl/{Version} {existing}".Trim());
        return base.SendAsync(request, cancellationToken);
    }
}
