using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.Access.Tests;

/// <summary>Two Registry replicas as real processes on one PostgreSQL database, as in HA.</summary>
public sealed class ReplicaRevocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARevokedKeyIsRefusedByEveryReplicaWithinOneSecondAndNoKeyEverReachesLogsHealthOrTraces()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var environment = new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        await using var first = ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>(environment) { ["ControlPlane__InstanceId"] = "registry-1" });
        await using var second = ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>(environment) { ["ControlPlane__InstanceId"] = "registry-2" });
        await Task.WhenAll(first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));

        using var admin = TestCredentials.Channel(first.GrpcUrl);
        var created = await new Api.V1.Access.AccessClient(admin).CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ci", Role = Role.Operator });
        var replicas = new[] { first, second }.Select(r => (Process: r, Channel: TestCredentials.Channel(r.GrpcUrl, created.Token))).ToList();
        foreach (var (_, channel) in replicas)
        {
            await new Api.V1.Registry.RegistryClient(channel).UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana" } });
        }

        await new Api.V1.Access.AccessClient(admin).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Key.Id });
        var revokedAt = Stopwatch.StartNew();
        foreach (var (process, channel) in replicas)
        {
            var registry = new Api.V1.Registry.RegistryClient(channel);
            while (true)
            {
                try
                {
                    await registry.GetAppAsync(new GetAppRequest { Name = "grafana" });
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
                {
                    break;
                }
                Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(1), $"{process.GrpcUrl} still accepts the key after {revokedAt.Elapsed}");
                await Task.Delay(20);
            }
            output.WriteLine($"{process.GrpcUrl} refuses the revoked key {revokedAt.ElapsedMilliseconds} ms after the revocation");
        }
        Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(1));

        // The token, and the test admin's, appear nowhere: not in /api/health, not in any span, not in the log.
        var spans = await receiver.WaitAsync(all => all.Any(s => s.Name.Contains("RevokeApiKey", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        foreach (var secret in new[] { created.Token, TestCredentials.AdminToken })
        {
            foreach (var process in new[] { first, second })
            {
                Assert.DoesNotContain(secret, await process.Http.GetStringAsync("/api/health"), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, process.Output, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v => v.Contains(secret, StringComparison.Ordinal)));
        }
        Assert.Contains("audit: test-admin (admin) /controlplane.v1.Access/RevokeApiKey -> OK", first.Output, StringComparison.Ordinal);
        foreach (var (_, channel) in replicas)
        {
            channel.Dispose();
        }
    }
}
