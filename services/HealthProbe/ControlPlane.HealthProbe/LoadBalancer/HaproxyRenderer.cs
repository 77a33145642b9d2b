using System.Text;
using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.LoadBalancer;

/// <summary>
/// An HAProxy <c>backend</c> of the ready set (balance leastconn by default, active checks of the app's
/// readiness path at its interval, rise and fall) and, with a listen port, a <c>frontend</c> using it.
/// </summary>
public static class HaproxyRenderer
{
    public static string Render(LoadBalancerPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(plan.Header);
        text.AppendLine($"backend {plan.Name}");
        text.AppendLine("    mode http");
        text.AppendLine(plan.Balance switch
        {
            BalanceAlgorithm.RoundRobin => "    balance roundrobin",
            BalanceAlgorithm.SourceHash => "    balance source",
            _ => "    balance leastconn",
        });
        var check = "";
        if (!plan.Options.DisableLbHealthCheck)
        {
            text.AppendLine($"    option httpchk GET {plan.Spec.ReadinessPath}");
            text.AppendLine("    http-check expect status 200");
            text.AppendLine($"    default-server inter {plan.IntervalSeconds}s rise {plan.Spec.Rise} fall {plan.Spec.Fall}");
            check = " check";
        }
        foreach (var server in plan.Listed)
        {
            var tls = server.Https ? " ssl verify required ca-file @system-ca" : "";
            text.AppendLine($"    server {server.InstanceId} {server.HostPort}{check}{tls}{(server.Routable ? "" : " disabled")}");
        }
        if (plan.Options.ListenPort > 0)
        {
            text.AppendLine();
            text.AppendLine($"frontend {plan.Name}_in");
            text.AppendLine("    mode http");
            text.AppendLine($"    bind :{plan.Options.ListenPort}");
            text.AppendLine($"    default_backend {plan.Name}");
        }
        return text.ToString();
    }
}
