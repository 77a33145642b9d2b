using ControlPlane.Api.V1;
using Grpc.Core;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Registry.Tests;

public static class RegistryWatch
{
    /// <summary>Reads a watch from <paramref name="fromRevision"/> until an event matches <paramref name="until"/> (inclusive).</summary>
    public static async Task<List<InstanceEvent>> ReadAsync(RegistryClient client, long fromRevision, string app,
        Func<InstanceEvent, bool> until, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var call = client.WatchInstances(new WatchInstancesRequest { App = app, FromRevision = fromRevision }, cancellationToken: cts.Token);
        var events = new List<InstanceEvent>();
        try
        {
            await foreach (var evt in call.ResponseStream.ReadAllAsync(cts.Token))
            {
                events.Add(evt);
                if (until(evt))
                {
                    return events;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
        }
        throw new TimeoutException($"watch ended without the awaited event; saw: {string.Join(", ", events.Select(e => $"{e.Revision}:{e.Type}:{e.Instance.InstanceId}"))}");
    }

    /// <summary>Reads exactly <paramref name="count"/> events, then disconnects.</summary>
    public static async Task<List<InstanceEvent>> TakeAsync(RegistryClient client, long fromRevision, string app, int count)
    {
        var seen = 0;
        return await ReadAsync(client, fromRevision, app, _ => ++seen == count);
    }
}
