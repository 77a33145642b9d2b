using ControlPlane.Api.V1;
using ControlPlane.Registry.Domain;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Registry.Grpc;

/// <summary>Every field of every Registry request checked before anything is read or stored.</summary>
public static class RegistryValidation
{
    public static void Validate(UpsertAppRequest request)
    {
        var v = new FieldValidator();
        if (request.App is null)
        {
            v.Add("app", "is required");
            v.ThrowIfInvalid();
        }
        var app = request.App!;
        v.AppName(app.Name, "app.name")
            .MaxLength(app.Description, "app.description", Limits.DescriptionLength)
            .MaxLength(app.DesiredVersion, "app.desired_version", Limits.ValueLength)
            .MaxLength(app.DesiredConfigHash, "app.desired_config_hash", Limits.ValueLength)
            .MaxLength(app.DesiredSchemaVersion, "app.desired_schema_version", Limits.ValueLength);
        Plugins(v, app.DesiredPlugins, "app.desired_plugins");
        if (app.HealthCheck is { } hc)
        {
            Path(v, hc.LivenessPath, "app.health_check.liveness_path");
            Path(v, hc.ReadinessPath, "app.health_check.readiness_path");
            Path(v, hc.HealthPath, "app.health_check.health_path");
            Between(v, hc.Interval, "app.health_check.interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
            Between(v, hc.Timeout, "app.health_check.timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
            v.Check(hc.Rise is >= 0 and <= 100, "app.health_check.rise", "must be between 1 and 100 (0: default 2)")
             .Check(hc.Fall is >= 0 and <= 100, "app.health_check.fall", "must be between 1 and 100 (0: default 3)")
             .Check(System.Enum.IsDefined(hc.Protocol), "app.health_check.protocol", "is not a known protocol")
             .MaxLength(hc.GrpcService, "app.health_check.grpc_service", Limits.ValueLength);
            if (hc.Interval is not null && hc.Timeout is not null)
            {
                v.Check(hc.Timeout.ToTimeSpan() <= hc.Interval.ToTimeSpan(), "app.health_check.timeout", "must not exceed the interval");
            }
        }
        if (app.RolloutDefaults is { } rd)
        {
            v.Check(!rd.HasMaxParallel || rd.MaxParallel is >= 0 and <= 1000, "app.rollout_defaults.max_parallel", "must be between 0 and 1000")
             .Check(!rd.HasCanary || rd.Canary is >= 0 and <= 1000, "app.rollout_defaults.canary", "must be between 0 and 1000");
            Between(v, rd.MinHealthyTime, "app.rollout_defaults.min_healthy_time", TimeSpan.Zero, TimeSpan.FromHours(24));
            Between(v, rd.HealthyDeadline, "app.rollout_defaults.healthy_deadline", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
            Between(v, rd.ProgressDeadline, "app.rollout_defaults.progress_deadline", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
            Between(v, rd.CanaryAutoPromoteAfter, "app.rollout_defaults.canary_auto_promote_after", TimeSpan.Zero, TimeSpan.FromDays(7));
        }
        RequestId(v, request.RequestId);
        v.ThrowIfInvalid();
    }

    public static void Validate(RegisterInstanceRequest request)
    {
        var v = new FieldValidator()
            .Identifier(request.InstanceId, "instance_id", Limits.IdLength)
            .AppName(request.App, "app")
            .HttpUrl(request.Address, "address")
            .HttpUrl(request.AgentAddress, "agent_address", required: false)
            .Check(request.Version.Length > 0, "version", "is required")
            .MaxLength(request.Version, "version", Limits.ValueLength)
            .MaxLength(request.ConfigHash, "config_hash", Limits.ValueLength)
            .MaxLength(request.SchemaVersion, "schema_version", Limits.ValueLength);
        Plugins(v, request.Plugins, "plugins");
        v.Check(request.Labels.Count <= Limits.MaxLabels, "labels", $"has more than {Limits.MaxLabels} entries");
        foreach (var (key, value) in request.Labels.Take(Limits.MaxLabels + 1))
        {
            v.Identifier(key, $"labels[{Truncate(key)}]", Limits.LabelKeyLength)
             .MaxLength(value, $"labels[{Truncate(key)}]", Limits.LabelValueLength);
        }
        if (request.LeaseTtl is not null)
        {
            Between(v, request.LeaseTtl, "lease_ttl", Limits.MinLeaseTtl, Limits.MaxLeaseTtl);
        }
        RequestId(v, request.RequestId);
        v.ThrowIfInvalid();
    }

    public static void Validate(HeartbeatRequest request)
    {
        var v = new FieldValidator()
            .Identifier(request.InstanceId, "instance_id", Limits.IdLength)
            .Identifier(request.LeaseId, "lease_id", Limits.IdLength);
        if (request.Status is { } s)
        {
            v.MaxLength(s.Version, "status.version", Limits.ValueLength)
             .MaxLength(s.ConfigHash, "status.config_hash", Limits.ValueLength)
             .MaxLength(s.SchemaVersion, "status.schema_version", Limits.ValueLength);
            Plugins(v, s.Plugins, "status.plugins");
        }
        v.ThrowIfInvalid();
    }

    public static void Validate(DeregisterInstanceRequest request) =>
        RequestId(new FieldValidator().Identifier(request.InstanceId, "instance_id", Limits.IdLength)
            .MaxLength(request.Reason, "reason", Limits.ReasonLength), request.RequestId).ThrowIfInvalid();

    public static void Validate(SetDrainRequest request) =>
        RequestId(new FieldValidator().Identifier(request.InstanceId, "instance_id", Limits.IdLength)
            .MaxLength(request.Reason, "reason", Limits.ReasonLength), request.RequestId).ThrowIfInvalid();

    public static void Validate(ListInstancesRequest request)
    {
        var v = new FieldValidator().Check(request.PageSize >= 0, "page_size", "must not be negative");
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        v.Check(request.LabelSelector.Count <= Limits.MaxLabels, "label_selector", $"has more than {Limits.MaxLabels} entries");
        v.ThrowIfInvalid();
    }

    public static void Validate(WatchInstancesRequest request)
    {
        var v = new FieldValidator().Check(request.FromRevision >= 0, "from_revision", "must not be negative");
        if (request.App.Length > 0)
        {
            v.AppName(request.App, "app");
        }
        v.ThrowIfInvalid();
    }

    public static void InstanceId(string instanceId) =>
        new FieldValidator().Identifier(instanceId, "instance_id", Limits.IdLength).ThrowIfInvalid();

    public static void AppName(string name, string field) => new FieldValidator().AppName(name, field).ThrowIfInvalid();

    public static void Paging(int pageSize) =>
        new FieldValidator().Check(pageSize >= 0, "page_size", "must not be negative").ThrowIfInvalid();

    private static FieldValidator RequestId(FieldValidator v, string requestId) =>
        requestId.Length == 0 ? v : v.Identifier(requestId, "request_id", Limits.IdLength);

    private static void Plugins(FieldValidator v, IReadOnlyCollection<string> plugins, string field)
    {
        v.Check(plugins.Count <= Limits.MaxPlugins, field, $"has more than {Limits.MaxPlugins} entries");
        foreach (var plugin in plugins.Take(Limits.MaxPlugins + 1))
        {
            v.Identifier(plugin, $"{field}[{Truncate(plugin)}]", Limits.ValueLength);
        }
    }

    private static void Path(FieldValidator v, string path, string field) =>
        v.Check(path.Length == 0 || (path.StartsWith('/') && path.Length <= 256 && Uri.IsWellFormedUriString(path, UriKind.Relative)),
            field, "must be an absolute path such as /readyz");

    private static void Between(FieldValidator v, Duration? value, string field, TimeSpan min, TimeSpan max)
    {
        if (value is null)
        {
            return;
        }
        var ok = value.Seconds >= 0 && value.Nanos >= 0 && value.Nanos < 1_000_000_000
            && value.ToTimeSpan() >= min && value.ToTimeSpan() <= max;
        v.Check(ok, field, $"must be between {min} and {max}");
    }

    private static string Truncate(string key) => key.Length <= 32 ? key : key[..32] + "…";
}
