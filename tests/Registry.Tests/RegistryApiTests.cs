using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.Registry.Tests;

/// <summary>The Registry API over a real gRPC channel, on SQLite and on PostgreSQL.</summary>
public class RegistryApiTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AppsAreStoredWithDefaultsAndListedInPages(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        foreach (var name in new[] { "grafana", "loki", "tempo" })
        {
            await client.UpsertAppAsync(name, desiredVersion: "1.0");
        }
        var updated = await client.UpsertAppAsync("grafana", desiredVersion: "2.0");

        var app = await client.GetAppAsync(new GetAppRequest { Name = "grafana" });
        Assert.Equal("2.0", app.DesiredVersion);
        Assert.Equal(2, app.Generation);
        Assert.Equal(updated.Generation, app.Generation);
        Assert.Equal("/readyz", app.HealthCheck.ReadinessPath);
        Assert.Equal(3, app.HealthCheck.Fall);
        Assert.Equal(1, app.RolloutDefaults.MaxParallel);

        var first = await client.ListAppsAsync(new ListAppsRequest { PageSize = 2 });
        var second = await client.ListAppsAsync(new ListAppsRequest { PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(["grafana", "loki"], first.Apps.Select(a => a.Name));
        Assert.Equal(["tempo"], second.Apps.Select(a => a.Name));
        Assert.Equal("", second.NextPageToken);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AnInstanceRegistersHeartbeatsDrainsAndDeregisters(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");

        var registered = await client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));
        Assert.Equal(InstanceState.Active, registered.Instance.State);
        Assert.Equal(["piechart", "worldmap"], registered.Instance.Plugins);
        Assert.NotEmpty(registered.LeaseId);

        var beat = await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-1", LeaseId = registered.LeaseId });
        Assert.True(beat.LeaseExpiresAt.ToDateTime() >= registered.Instance.LeaseExpiresAt.ToDateTime());
        Assert.False(beat.Draining);

        var drained = await client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true });
        Assert.True(drained.Draining);
        beat = await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-1", LeaseId = registered.LeaseId });
        Assert.True(beat.Draining);

        var listed = await client.ListInstancesAsync(new ListInstancesRequest { App = "grafana" });
        Assert.Equal("g-1", Assert.Single(listed.Instances).InstanceId);
        Assert.True(listed.Revision >= 2);

        await client.DeregisterInstanceAsync(new DeregisterInstanceRequest { InstanceId = "g-1" });
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => client.GetInstanceAsync(new GetInstanceRequest { InstanceId = "g-1" }).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-1", LeaseId = registered.LeaseId }).ResponseAsync);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AListedPageShowsEveryChangeAtOnceDespiteReuse(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");
        await client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));
        var before = await client.ListInstancesAsync(new ListInstancesRequest { App = "grafana" });
        Assert.False(Assert.Single(before.Instances).Draining);

        await client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true });
        var after = await client.ListInstancesAsync(new ListInstancesRequest { App = "grafana" });

        Assert.True(Assert.Single(after.Instances).Draining);
        Assert.True(after.Revision > before.Revision);
        await client.RegisterInstanceAsync(Fleet.Instance("g-2", "grafana"));
        Assert.Equal(2, (await client.ListInstancesAsync(new ListInstancesRequest { App = "grafana" })).Instances.Count);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task BadInputIsRefusedWithTheFieldNamedAndNothingIsStored(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");

        async Task Invalid(string field, RegisterInstanceRequest request) =>
            await RpcAssert.InvalidFieldAsync(field, () => client.RegisterInstanceAsync(request).ResponseAsync);

        await Invalid("instance_id", Fleet.Instance("", "grafana"));
        await Invalid("instance_id", Fleet.Instance(new string('x', 129), "grafana"));
        await Invalid("instance_id", Fleet.Instance("has space", "grafana"));
        await Invalid("address", Fleet.Instance("g-1", "grafana").WithAddress("ftp://host/"));
        await Invalid("address", Fleet.Instance("g-1", "grafana").WithAddress("not a url"));
        await Invalid("version", Fleet.Instance("g-1", "grafana", version: ""));
        await Invalid("app", Fleet.Instance("g-1", "Not_An_App"));
        await Invalid("lease_ttl", Fleet.Instance("g-1", "grafana", ttl: TimeSpan.FromHours(2)));
        var tooManyLabels = Fleet.Instance("g-1", "grafana");
        for (var i = 0; i < 65; i++)
        {
            tooManyLabels.Labels[$"k{i}"] = "v";
        }
        await Invalid("labels", tooManyLabels);
        await RpcAssert.InvalidFieldAsync("app.name", () => client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "UPPER" } }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("app.health_check.timeout", () => client.UpsertAppAsync(new UpsertAppRequest
        {
            App = new App
            {
                Name = "slow",
                HealthCheck = new HealthCheckSpec
                {
                    Interval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                    Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)),
                },
            },
        }).ResponseAsync);

        var unknownApp = await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => client.RegisterInstanceAsync(Fleet.Instance("g-1", "nosuchapp")).ResponseAsync);
        Assert.Contains("app 'nosuchapp'", unknownApp.Status.Detail);
        var unknownLease = await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-9", LeaseId = "abc" }).ResponseAsync);
        Assert.Contains("instance 'g-9'", unknownLease.Status.Detail);

        var registered = await client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));
        var wrongLease = await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-1", LeaseId = "not" + registered.LeaseId }).ResponseAsync);
        Assert.Contains("lease_id", wrongLease.Status.Detail);

        var all = await client.ListInstancesAsync(new ListInstancesRequest { IncludeExpired = true });
        Assert.Equal(["g-1"], all.Instances.Select(i => i.InstanceId));
        var apps = await client.ListAppsAsync(new ListAppsRequest());
        Assert.Equal(["grafana"], apps.Apps.Select(a => a.Name));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task ARepeatedRequestIdIsAppliedOnce(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");
        var request = Fleet.Instance("g-1", "grafana");
        request.RequestId = "req-1";

        var first = await client.RegisterInstanceAsync(request);
        var second = await client.RegisterInstanceAsync(request);

        Assert.Equal(first.LeaseId, second.LeaseId);
        var head = (await client.ListInstancesAsync(new ListInstancesRequest())).Revision;
        Assert.Equal(first.Instance.Revision, head);
        await RpcAssert.InvalidFieldAsync("request_id", () => client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", RequestId = "req-1" }).ResponseAsync);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task FleetStatusReportsDriftPerInstanceAndField(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");
        await client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana", "1.0"));
        await client.RegisterInstanceAsync(Fleet.Instance("g-2", "grafana", "1.0"));
        var odd = Fleet.Instance("g-3", "grafana", "1.1");
        odd.ConfigHash = "cfg-2";
        var oddLease = (await client.RegisterInstanceAsync(odd)).LeaseId;

        var status = await client.GetFleetStatusAsync(new GetFleetStatusRequest { App = "grafana" });
        Assert.Equal(3, status.ActiveInstances);
        Assert.Equal("1.0", status.ExpectedVersion);
        var drift = Assert.Single(status.Drift);
        Assert.Equal("g-3", drift.InstanceId);
        Assert.Equal([DriftFieldName.Version, DriftFieldName.ConfigHash], drift.Fields.Select(f => f.Field));
        Assert.All(drift.Fields, f => Assert.True(f.ExpectedFromMajority));
        Assert.Equal(2, status.Versions["1.0"]);

        // A desired version makes the two majority instances the drifted ones.
        await client.UpsertAppAsync("grafana", desiredVersion: "1.1");
        status = await client.GetFleetStatusAsync(new GetFleetStatusRequest { App = "grafana" });
        Assert.Equal(["g-1", "g-2", "g-3"], status.Drift.Select(d => d.InstanceId));
        Assert.Equal(DriftFieldName.ConfigHash, Assert.Single(status.Drift.Single(d => d.InstanceId == "g-3").Fields).Field);

        // The instance reports the expected config: back in line, announced as a drift change.
        await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "g-3", LeaseId = oddLease, Status = new InstanceStatusReport { ConfigHash = "cfg-1" } });
        status = await client.GetFleetStatusAsync(new GetFleetStatusRequest { App = "grafana" });
        Assert.Equal(["g-1", "g-2"], status.Drift.Select(d => d.InstanceId));

        var events = await RegistryWatch.ReadAsync(client, 0, "grafana", until: e => e.Type == InstanceEventType.Updated);
        var g3 = events.Where(e => e.Instance.InstanceId == "g-3" && e.Type == InstanceEventType.DriftChanged).ToList();
        Assert.Equal(2, g3.Count);
        Assert.Equal(2, g3[0].Drift.Count);
        Assert.Single(g3[1].Drift);
        var afterUpdate = await RegistryWatch.ReadAsync(client, events[^1].Revision, "grafana", until: e => e.Type == InstanceEventType.DriftChanged);
        Assert.Empty(afterUpdate[^1].Drift);
    }
}
