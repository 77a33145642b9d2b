using ControlPlane.Api.V1;
using Grpc.Core;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Cpctl.Rollouts;

/// <summary>
/// Follows one rollout through WatchRollout until it ends, resuming from the last revision seen when the stream
/// breaks (a replica restarting behind the load balancer is not the end of the rollout).
/// </summary>
public sealed class RolloutFollower(RolloutsClient client, string rolloutId)
{
    private const int MaxReconnects = 10;

    public async Task<Rollout> FollowAsync(Action<RolloutEvent> onEvent, CancellationToken cancellationToken)
    {
        long revision = 0;
        var reconnects = 0;
        while (true)
        {
            try
            {
                using var call = client.WatchRollout(new WatchRolloutRequest { RolloutId = rolloutId, FromRevision = revision },
                    cancellationToken: cancellationToken);
                await foreach (var change in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    revision = Math.Max(revision, change.Revision);
                    reconnects = 0;
                    onEvent(change);
                    if (RolloutText.IsFinished(change.Rollout.State))
                    {
                        return change.Rollout;
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
            {
                // The events since our revision are no longer kept: start over from a fresh snapshot.
                revision = 0;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && reconnects < MaxReconnects)
            {
                reconnects++;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
