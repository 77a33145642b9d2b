using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Registry.Tests;

/// <summary>Small builders for the requests the tests send.</summary>
public static class Fleet
{
    public static Task<App> UpsertAppAsync(this RegistryClient client, string name, string desiredVersion = "") =>
        client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = name, DesiredVersion = desiredVersion } }).ResponseAsync;

    public static RegisterInstanceRequest Instance(string id, string app, string version = "1.0", TimeSpan? ttl = null) => new()
    {
        InstanceId = id,
        App = app,
        Address = $"http://127.0.0.1:3000/{id}",
        Version = version,
        ConfigHash = "cfg-1",
        SchemaVersion = "42",
        Plugins = { "piechart", "worldmap" },
        Labels = { ["zone"] = "a" },
        LeaseTtl = ttl is null ? null : Duration.FromTimeSpan(ttl.Value),
    };

    public static RegisterInstanceRequest WithAddress(this RegisterInstanceRequest request, string address)
    {
        request.Address = address;
        return request;
    }
}
