using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Registry.Data;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Registry.Domain;

/// <summary>Stored records to API messages and back.</summary>
public static class RegistryMapping
{
    public static App ToApi(this AppRecord record)
    {
        var app = new App
        {
            Name = record.Name,
            Description = record.Description,
            DesiredVersion = record.DesiredVersion,
            DesiredConfigHash = record.DesiredConfigHash,
            DesiredSchemaVersion = record.DesiredSchemaVersion,
            HealthCheck = HealthCheckSpec.Parser.ParseFrom(record.HealthCheck),
            RolloutDefaults = RolloutStrategy.Parser.ParseFrom(record.RolloutDefaults),
            CreatedAt = Timestamp.FromDateTime(Utc(record.CreatedAt)),
            UpdatedAt = Timestamp.FromDateTime(Utc(record.UpdatedAt)),
            Generation = record.Generation,
        };
        app.DesiredPlugins.AddRange(PluginSet.Split(record.DesiredPlugins));
        return app;
    }

    public static Instance ToApi(this InstanceRecord record)
    {
        var instance = new Instance
        {
            InstanceId = record.InstanceId,
            App = record.App,
            Address = record.Address,
            AgentAddress = record.AgentAddress,
            Version = record.Version,
            ConfigHash = record.ConfigHash,
            SchemaVersion = record.SchemaVersion,
            Draining = record.Draining,
            State = record.State == InstanceStatus.Active ? InstanceState.Active : InstanceState.Expired,
            LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(record.LeaseTtlMs)),
            LeaseExpiresAt = Timestamp.FromDateTime(Utc(record.LeaseExpiresAt)),
            RegisteredAt = Timestamp.FromDateTime(Utc(record.RegisteredAt)),
            LastHeartbeatAt = Timestamp.FromDateTime(Utc(record.LastHeartbeatAt)),
            Revision = record.Revision,
        };
        instance.Plugins.AddRange(PluginSet.Split(record.Plugins));
        instance.Labels.Add(ReadLabels(record.Labels));
        return instance;
    }

    public static string WriteLabels(IDictionary<string, string> labels) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(labels, StringComparer.Ordinal));

    public static Dictionary<string, string> ReadLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static byte[] Bytes(IMessage message) => message.ToByteArray();

    /// <summary>SQLite hands DateTime back as Unspecified; every stored time is UTC.</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
