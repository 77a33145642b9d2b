using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace ControlPlane.Access.Tests;

public sealed class RoleTests
{
    private static readonly ServiceDescriptor[] Services =
    [
        Api.V1.Registry.Descriptor, Api.V1.HealthProbe.Descriptor, Api.V1.Rollouts.Descriptor, Api.V1.Backups.Descriptor, Api.V1.Access.Descriptor,
    ];

    [Fact]
    public async Task EveryMethodOfEveryServiceRefusesTheCallerWithoutACredentialOrWithoutTheRoleItNeeds()
    {
        await using var suite = await Suite.StartAsync();
        var wrong = new List<string>();
        using var anonymous = TestCredentials.Anonymous(suite.Host.GrpcUrl);
        var channels = RoleTable.Roles.ToDictionary(r => r, r => TestCredentials.Channel(suite.Host.GrpcUrl, suite.Tokens[r]));
        var calls = 0;
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            var needed = RoleTable.For(method.Service.FullName, method.Name);
            var none = await GenericCalls.CallAsync(anonymous.CreateCallInvoker(), method);
            if (none != StatusCode.Unauthenticated)
            {
                wrong.Add($"{method.FullName} without a credential: {none}");
            }
            foreach (var (role, channel) in channels)
            {
                var status = await GenericCalls.CallAsync(channel.CreateCallInvoker(), method);
                calls++;
                var allowed = RoleTable.Allows(role, needed);
                if (allowed && status is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
                {
                    wrong.Add($"{method.FullName} as {role} (needs {needed}): refused with {status}");
                }
                if (!allowed && status != StatusCode.PermissionDenied)
                {
                    wrong.Add($"{method.FullName} as {role} (needs {needed}): {status}, not PermissionDenied");
                }
            }
        }
        foreach (var channel in channels.Values)
        {
            channel.Dispose();
        }
        // 40 methods: Registry 11, HealthProbe 6, Rollouts 9, Backups 9, Access 5; each with every role.
        Assert.Equal(4 * 40, calls);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task AViewerCannotChangeTheFleetAndEveryAttemptIsAudited()
    {
        await using var suite = await Suite.StartAsync();
        using var viewerChannel = TestCredentials.Channel(suite.Host.GrpcUrl, suite.Tokens["viewer"]);
        using var agentChannel = TestCredentials.Channel(suite.Host.GrpcUrl, suite.Tokens["agent"]);
        using var operatorChannel = TestCredentials.Channel(suite.Host.GrpcUrl, suite.Tokens["operator"]);
        using var anonymous = TestCredentials.Anonymous(suite.Host.GrpcUrl);
        var upsert = new UpsertAppRequest { App = new App { Name = "grafana", DesiredVersion = "1.0" } };

        var denied = await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied,
            () => new Api.V1.Registry.RegistryClient(viewerChannel).UpsertAppAsync(upsert).ResponseAsync);
        Assert.Contains("'test-viewer' (role viewer)", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("needs role operator", denied.Status.Detail, StringComparison.Ordinal);
        var missing = await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated,
            () => new Api.V1.Registry.RegistryClient(anonymous).UpsertAppAsync(upsert).ResponseAsync);
        Assert.Contains("authorization: Bearer", missing.Status.Detail, StringComparison.Ordinal);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated,
            () => new Api.V1.Registry.RegistryClient(TestCredentials.Channel(suite.Host.GrpcUrl, "cpk_not-a-key")).UpsertAppAsync(upsert).ResponseAsync);
        var registry = new Api.V1.Registry.RegistryClient(operatorChannel);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => registry.GetAppAsync(new GetAppRequest { Name = "grafana" }).ResponseAsync);

        await registry.UpsertAppAsync(upsert);
        var agent = new Api.V1.Registry.RegistryClient(agentChannel);
        await agent.RegisterInstanceAsync(new RegisterInstanceRequest { InstanceId = "g-1", App = "grafana", Address = "http://127.0.0.1:9", Version = "1.0" });
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied,
            () => agent.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => new Api.V1.Backups.BackupsClient(operatorChannel)
            .RestoreBackupAsync(new RestoreBackupRequest { BackupId = "b-1", Confirm = "controlplane" }).ResponseAsync);
        Assert.False((await registry.GetInstanceAsync(new GetInstanceRequest { InstanceId = "g-1" })).Draining);
        Assert.Equal("1.0", (await registry.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion);

        var audit = await new Api.V1.Access.AccessClient(suite.Host.Channel).ListAuditEventsAsync(new ListAuditEventsRequest());
        var lines = audit.Events.Select(e => $"{e.Principal} {e.Method} {e.Outcome}").ToList();
        Assert.Contains("test-viewer /controlplane.v1.Registry/UpsertApp PermissionDenied", lines);
        Assert.Contains("anonymous /controlplane.v1.Registry/UpsertApp Unauthenticated", lines);
        Assert.Contains("test-operator /controlplane.v1.Registry/UpsertApp OK", lines);
        Assert.Contains("test-agent /controlplane.v1.Registry/RegisterInstance OK", lines);
        Assert.Contains("test-agent /controlplane.v1.Registry/SetDrain PermissionDenied", lines);
        Assert.Contains("test-operator /controlplane.v1.Backups/RestoreBackup PermissionDenied", lines);
        Assert.Contains("test-admin /controlplane.v1.Access/CreateApiKey OK", lines);
        // Reads are not audited.
        Assert.DoesNotContain(audit.Events, e => e.Method.EndsWith("/GetApp", StringComparison.Ordinal));
        var viewerRow = audit.Events.First(e => e.Principal == "test-viewer");
        Assert.Equal(Role.Viewer, viewerRow.Role);
        Assert.Equal("127.0.0.1", viewerRow.Peer);
        Assert.NotEqual(0, viewerRow.At.Seconds);
    }
}
