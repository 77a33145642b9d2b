using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.LoadBalancer;

/// <summary>One instance as a load balancer line: its id, host:port, scheme, and whether it may take traffic.</summary>
public sealed record LoadBalancerServer(string InstanceId, string HostPort, bool Https, bool Routable)
{
    public static LoadBalancerServer From(string instanceId, string address, bool routable)
    {
        var uri = new Uri(address);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
        return new LoadBalancerServer(instanceId, $"{host}:{uri.Port}", uri.Scheme == Uri.UriSchemeHttps, routable);
    }
}

/// <summary>What a renderer needs: the servers, the app's check spec, and the operator's options.</summary>
public sealed record LoadBalancerPlan(
    string App,
    long ReadySetRevision,
    IReadOnlyList<LoadBalancerServer> Servers,
    HealthCheckSpec Spec,
    LoadBalancerOptions Options)
{
    public string Name => Options.UpstreamName.Length > 0 ? Options.UpstreamName : App;

    public IEnumerable<LoadBalancerServer> Listed => Servers.Where(s => s.Routable || Options.IncludeNotReady);

    /// <summary>The backend scheme: https only when every routable server is https.</summary>
    public bool Https => Servers.Any(s => s.Routable) && Servers.Where(s => s.Routable).All(s => s.Https);

    public BalanceAlgorithm Balance => Options.Balance == BalanceAlgorithm.Unspecified ? BalanceAlgorithm.LeastConn : Options.Balance;

    public int IntervalSeconds => Math.Max(1, (int)Math.Ceiling(Spec.Interval.ToTimeSpan().TotalSeconds));

    public string Header => $"# Rendered by ControlPlane HealthProbe for app '{App}', ready set revision {ReadySetRevision}. Do not edit: render again.";
}
