using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.SystemTests;

/// <summary>deploy/nginx/controlplane-grpc.conf run by the real nginx in front of two Registry replicas.</summary>
public class NginxGrpcTests
{
    [Fact]
    public async Task CallsThroughNginxKeepSucceedingWhenAReplicaIsKilled()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var replicas = Enumerable.Range(1, 2).Select(i => ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ControlPlane__InstanceId"] = $"registry-{i}",
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        })).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            await using var nginx = await NginxProcess.StartAsync(new Dictionary<string, IReadOnlyList<string>>
            {
                ["registry"] = replicas.Select(r => new Uri(r.GrpcUrl).Authority).ToList(),
            });
            using var channel = ReplicatedChannel.For(nginx.Url);
            var client = new Api.V1.Registry.RegistryClient(channel);

            var failures = new List<string>();
            var calls = 0;
            for (var i = 0; i < 300; i++)
            {
                if (i == 100)
                {
                    await replicas[0].KillAsync();
                }
                try
                {
                    await client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = $"app-{i % 10}", DesiredVersion = $"{i}" }, RequestId = $"upsert-{i}" });
                    var app = await client.GetAppAsync(new GetAppRequest { Name = $"app-{i % 10}" });
                    Assert.Equal($"{i}", app.DesiredVersion);
                    calls += 2;
                }
                catch (RpcException ex)
                {
                    failures.Add($"call {i}: {ex.StatusCode} {ex.Status.Detail}");
                }
            }

            Assert.Empty(failures);
            Assert.Equal(600, calls);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
