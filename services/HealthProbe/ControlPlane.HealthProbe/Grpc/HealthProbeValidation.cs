using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Grpc;

namespace ControlPlane.HealthProbe.Grpc;

public static partial class HealthProbeValidation
{
    private const int MaxProbeNow = 1000;

    public static void InstanceId(string instanceId) =>
        new FieldValidator().Identifier(instanceId, "instance_id").ThrowIfInvalid();

    public static void App(string app) => new FieldValidator().AppName(app, "app").ThrowIfInvalid();

    public static void Validate(ListHealthRequest request)
    {
        var v = new FieldValidator().Check(request.PageSize >= 0, "page_size", "must not be negative")
            .Check(request.States.All(s => Enum.IsDefined(s)), "states", "holds an unknown state")
            .Check(Enum.IsDefined(request.Ready), "ready", "is not a known filter");
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        v.ThrowIfInvalid();
    }

    public static void Validate(WatchHealthRequest request)
    {
        var v = new FieldValidator().Check(request.FromRevision >= 0, "from_revision", "must not be negative");
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        if (request.InstanceId.Length > 0)
        {
            v.Identifier(request.InstanceId, "instance_id");
        }
        v.ThrowIfInvalid();
    }

    public static void Validate(RenderLoadBalancerConfigRequest request)
    {
        var v = new FieldValidator().AppName(request.App, "app")
            .Check(request.Format is LoadBalancerFormat.Nginx or LoadBalancerFormat.Haproxy, "format", "must be NGINX or HAPROXY");
        if (request.Options is { } o)
        {
            v.Check(o.ListenPort is >= 0 and <= 65535, "options.listen_port", "must be between 0 and 65535")
             .Check(Enum.IsDefined(o.Balance), "options.balance", "is not a known algorithm")
             .Check(o.UpstreamName.Length == 0 || UpstreamName().IsMatch(o.UpstreamName), "options.upstream_name",
                "may only hold letters, digits, '_', '-' and '.' (at most 63)");
        }
        v.ThrowIfInvalid();
    }

    public static void Validate(ProbeNowRequest request)
    {
        var v = new FieldValidator()
            .Check(request.InstanceIds.Count > 0 || request.App.Length > 0, "instance_ids", "name instances, or an app")
            .Check(request.InstanceIds.Count <= MaxProbeNow, "instance_ids", $"at most {MaxProbeNow} at a time");
        foreach (var id in request.InstanceIds.Take(MaxProbeNow + 1))
        {
            v.Identifier(id, "instance_ids");
        }
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        if (request.RequestId.Length > 0)
        {
            v.Identifier(request.RequestId, "request_id");
        }
        v.ThrowIfInvalid();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_.-]{1,63}$")]
    private static partial System.Text.RegularExpressions.Regex UpstreamName();
}
