using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace ControlPlane.SystemTests;

/// <summary>Stopping a shared server affects every test that uses it: these run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutageCollection
{
    public const string Name = "outages";
}

[Collection(OutageCollection.Name)]
[Trait("Category", Outage.Category)]
public class OutageTests
{
    [Fact]
    public async Task DuringAPostgresOutageAReplicaIsNotReadyAndAfterItEverythingIsStillThere()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        await using var registry = ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        });
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var channel = TestCredentials.Channel(registry.GrpcUrl);
        var client = new Api.V1.Registry.RegistryClient(channel);
        await client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana", DesiredVersion = "1.0" } });

        try
        {
            await DatabaseServer.StopAsync();
            await WaitForAsync(async () => (await registry.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.OK, (await registry.Http.GetAsync("/livez")).StatusCode);
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.GetAppAsync(new GetAppRequest { Name = "grafana" }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }
        finally
        {
            await DatabaseServer.StartAsync();
        }

        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        Assert.False(registry.HasExited);
        await WaitForAsync(async () =>
        {
            try
            {
                return (await client.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion == "1.0";
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        });
        var registered = await client.RegisterInstanceAsync(new RegisterInstanceRequest
        {
            InstanceId = "g-1", App = "grafana", Address = "http://127.0.0.1:3000", Version = "1.0",
        });
        Assert.Equal(InstanceState.Active, registered.Instance.State);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(200);
        }
    }
}
