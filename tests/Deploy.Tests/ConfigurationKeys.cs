using System.Reflection;
using ControlPlane.Agent;
using ControlPlane.Backups.Domain;
using ControlPlane.Dashboard;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.Registry.Domain;
using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Tls;

namespace ControlPlane.Deploy.Tests;

/// <summary>
/// The environment keys the services read, taken from the options classes themselves (section "X", property
/// "Y" → X__Y, nested objects, lists and maps below it), plus connection strings and OpenTelemetry's variables.
/// A deployment file naming any other key sets something nobody reads.
/// </summary>
public static class ConfigurationKeys
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (ControlPlaneOptions.SectionName, typeof(ControlPlaneOptions)),
        (RegistryOptions.SectionName, typeof(RegistryOptions)),
        (HealthProbeOptions.SectionName, typeof(HealthProbeOptions)),
        (BackupsOptions.SectionName, typeof(BackupsOptions)),
        (RolloutsOptions.SectionName, typeof(RolloutsOptions)),
        (AgentOptions.SectionName, typeof(AgentOptions)),
        (AccessOptions.SectionName, typeof(AccessOptions)),
        (TlsOptions.SectionName, typeof(TlsOptions)),
        (DashboardOptions.SectionName, typeof(DashboardOptions)),
    ];

    private static readonly HashSet<string> Others =
    [
        "ConnectionStrings__ControlPlane", "ConnectionStrings__RabbitMq", "ConnectionStrings__Redis", "ConnectionStrings__Memcached",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
    ];

    public static bool IsRead(string key)
    {
        if (Others.Contains(key))
        {
            return true;
        }
        // A section may be nested (ControlPlane:Tls): any section the key starts with may bind it.
        var parts = key.Split("__");
        return Sections.Any(s =>
        {
            var section = s.Section.Split(':');
            return parts.Length >= section.Length && parts[..section.Length].SequenceEqual(section) && Resolves(s.Options, parts[section.Length..]);
        });
    }

    private static bool Resolves(Type type, string[] path)
    {
        if (path.Length == 0)
        {
            return true;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return Resolves(type.GetGenericArguments()[1], path[1..]);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return int.TryParse(path[0], out _) && Resolves(type.GetGenericArguments()[0], path[1..]);
        }
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } && Resolves(property.PropertyType, path[1..]);
    }
}
