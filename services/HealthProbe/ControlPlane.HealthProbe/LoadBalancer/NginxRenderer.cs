using System.Text;
using ControlPlane.Api.V1;

namespace ControlPlane.HealthProbe.LoadBalancer;

/// <summary>
/// An nginx <c>upstream</c> of the ready set (least_conn by default, passive checks with max_fails at the app's
/// fall threshold) and, with a listen port, a <c>server</c> proxying to it. Include it in the http block.
/// </summary>
public static class NginxRenderer
{
    public static string Render(LoadBalancerPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(plan.Header);
        text.AppendLine($"upstream {plan.Name} {{");
        switch (plan.Balance)
        {
            case BalanceAlgorithm.LeastConn: text.AppendLine("    least_conn;"); break;
            case BalanceAlgorithm.SourceHash: text.AppendLine("    ip_hash;"); break;
        }
        var passive = plan.Options.DisableLbHealthCheck ? "" : $" max_fails={plan.Spec.Fall} fail_timeout={plan.IntervalSeconds * plan.Spec.Fall}s";
        var listed = plan.Listed.ToList();
        foreach (var server in listed)
        {
            text.AppendLine($"    server {server.HostPort}{(server.Routable ? passive : " down")};  # {server.InstanceId}");
        }
        if (!listed.Any(s => s.Routable))
        {
            // nginx refuses an upstream without servers: a placeholder marked down keeps the file valid, and requests fail fast (502).
            text.AppendLine("    server 127.0.0.1:9 down;  # ready set is empty");
        }
        text.AppendLine("    keepalive 32;");
        text.AppendLine("}");
        if (plan.Options.ListenPort > 0)
        {
            text.AppendLine($$"""
                server {
                    listen {{plan.Options.ListenPort}};
                    location / {
                        proxy_pass {{(plan.Https ? "https" : "http")}}://{{plan.Name}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_next_upstream error timeout http_502 http_503;
                    }
                }
                """);
        }
        return text.ToString();
    }
}
