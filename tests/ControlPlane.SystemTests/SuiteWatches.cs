using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>
/// A WatchInstances stream on every Registry replica and a WatchRollout stream on every Rollouts replica, each
/// opened directly on its replica: changes made through the other replicas reach it through the shared log, woken
/// by the live-events bus.
/// </summary>
public sealed class SuiteWatches : IAsyncDisposable
{
    private readonly List<(string Service, ServiceProcess Replica, WatchRecorder Watch, GrpcChannel Channel)> _watches = [];
    private readonly HaSuite _suite;
    private readonly long _rolloutsFrom;

    private SuiteWatches(HaSuite suite, long rolloutsFrom)
    {
        _suite = suite;
        _rolloutsFrom = rolloutsFrom;
    }

    /// <summary>Instances from the start of the log; rollouts from now on.</summary>
    public static async Task<SuiteWatches> StartAsync(HaSuite suite)
    {
        var head = (await suite.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = suite.App })).Revision;
        var watches = new SuiteWatches(suite, head);
        foreach (var replica in suite.Replicas("registry"))
        {
            var channel = TestCredentials.Channel(replica.GrpcUrl);
            var client = new Api.V1.Registry.RegistryClient(channel);
            watches._watches.Add(("registry", replica, WatchRecorder.Start($"WatchInstances on {replica.GrpcUrl}", ct =>
                client.WatchInstances(new WatchInstancesRequest { App = suite.App }, cancellationToken: ct).ResponseStream
                    .ReadAllAsync(ct).Select(e => e.Revision)), channel));
        }
        foreach (var replica in suite.Replicas("rollouts"))
        {
            var channel = TestCredentials.Channel(replica.GrpcUrl);
            var client = new Api.V1.Rollouts.RolloutsClient(channel);
            watches._watches.Add(("rollouts", replica, WatchRecorder.Start($"WatchRollout on {replica.GrpcUrl}", ct =>
                client.WatchRollout(new WatchRolloutRequest { App = suite.App, FromRevision = head }, cancellationToken: ct).ResponseStream
                    .ReadAllAsync(ct).Where(e => e.Type != RolloutEventType.Snapshot).Select(e => e.Revision)), channel));
        }
        return watches;
    }

    /// <summary>Every watch on a replica still alive delivered exactly the events stored in its service's log.</summary>
    public async Task AssertNoEventMissedAsync(ITestOutputHelper output, IReadOnlyCollection<ServiceProcess> killed)
    {
        foreach (var (service, _, watch, _) in _watches.Where(w => !killed.Contains(w.Replica)))
        {
            var stored = await _suite.StoredRevisionsAsync(service, service == "rollouts" ? _rolloutsFrom : 0);
            await watch.AssertDeliveredExactlyAsync(stored, TimeSpan.FromSeconds(30));
            output.WriteLine($"{watch.Name}: all {stored.Count} stored events, once each, in order");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, _, watch, channel) in _watches)
        {
            await watch.DisposeAsync();
            channel.Dispose();
        }
    }
}
