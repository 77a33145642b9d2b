using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Rollouts.Domain;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Rollouts.Bus;

/// <summary>
/// A rollout start that arrived by message (MassTransit contract or plain JSON): runs the same command as gRPC,
/// answers RolloutAccepted or RolloutRejected with the reason. Without a request_id the message id stands in, so a
/// redelivered message starts one rollout.
/// </summary>
public sealed class StartRequests(StartRolloutCommand command, IPublishEndpoint publish, TimeProvider clock, ILogger<StartRequests> logger)
{
    /// <returns>Null when accepted; else the reason it was rejected (already announced).</returns>
    public async Task<string?> HandleAsync(StartRollout message, string messageId, CancellationToken cancellationToken)
    {
        var requestId = message.RequestId.Length > 0 ? message.RequestId : messageId;
        try
        {
            var origin = new RolloutOrigin
            {
                Trigger = RolloutTrigger.Bus,
                Initiator = message.Initiator,
                Source = messageId,
                TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? "",
            };
            var rollout = await command.StartAsync(ToRequest(message, requestId), origin, cancellationToken);
            await publish.Publish(new RolloutAccepted(rollout.Id, rollout.App, requestId, messageId, clock.GetUtcNow()), cancellationToken);
            return null;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            var reason = ex.StatusCode switch
            {
                StatusCode.NotFound => $"unknown: {ex.Status.Detail}",
                _ => ex.Status.Detail,
            };
            return await RejectAsync(message.App, reason, requestId, messageId, cancellationToken);
        }
    }

    public async Task<string> RejectAsync(string app, string reason, string requestId, string messageId, CancellationToken cancellationToken)
    {
        RolloutsLog.StartRejected(logger, messageId, reason);
        await publish.Publish(new RolloutRejected(app, reason, requestId, messageId, clock.GetUtcNow()), cancellationToken);
        return reason;
    }

    private static StartRolloutRequest ToRequest(StartRollout message, string requestId)
    {
        var strategy = new RolloutStrategy();
        if (message.MaxParallel is { } maxParallel) { strategy.MaxParallel = maxParallel; }
        if (message.MinHealthyTime is { } minHealthy) { strategy.MinHealthyTime = Duration.FromTimeSpan(minHealthy); }
        if (message.HealthyDeadline is { } healthyDeadline) { strategy.HealthyDeadline = Duration.FromTimeSpan(healthyDeadline); }
        if (message.ProgressDeadline is { } progressDeadline) { strategy.ProgressDeadline = Duration.FromTimeSpan(progressDeadline); }
        if (message.AutoRevert is { } autoRevert) { strategy.AutoRevert = autoRevert; }
        if (message.Canary is { } canary) { strategy.Canary = canary; }
        if (message.BackupBefore is { } backupBefore) { strategy.BackupBefore = backupBefore; }
        var request = new StartRolloutRequest
        {
            App = message.App ?? "",
            Target = new RolloutTarget { Version = message.Version ?? "", ConfigHash = message.ConfigHash ?? "" },
            Strategy = strategy,
            Initiator = message.Initiator ?? "",
            Description = message.Description ?? "",
            RequestId = requestId,
        };
        request.InstanceIds.AddRange(message.InstanceIds ?? []);
        return request;
    }
}
