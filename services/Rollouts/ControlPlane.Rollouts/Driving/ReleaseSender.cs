using System.Collections.Concurrent;
using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Rollouts.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// Sends ApplyRelease to one Agent's queue and finds its answer. The step is saved as sent before the command goes
/// out; a replica that took the rollout over (or restarted) sends again what it did not send itself, under the same
/// ApplyId, and the Agent applies that id once.
/// </summary>
public sealed class ReleaseSender(ISendEndpointProvider endpoints, RolloutsDbContext db, TimeProvider clock)
{
    /// <summary>ApplyIds this process sent (process-wide): anything else marked sent was sent by a previous holder.</summary>
    private static readonly ConcurrentDictionary<string, byte> SentHere = new();

    public static string ApplyId(Rollout rollout, RolloutStep step, bool revert) =>
        $"{rollout.Id}/{step.InstanceId}/{(revert ? "revert" : "apply")}";

    public static bool WasSentHere(string applyId) => SentHere.ContainsKey(applyId);

    public async Task SendAsync(Rollout rollout, RolloutStep step, bool revert, CancellationToken cancellationToken)
    {
        var applyId = ApplyId(rollout, step, revert);
        var command = new ApplyRelease(
            AgentId: step.InstanceId,
            InstanceId: step.InstanceId,
            RolloutId: rollout.Id,
            ApplyId: applyId,
            Version: revert ? step.FromVersion : step.ToVersion,
            ConfigHash: revert ? step.FromConfigHash : step.ToConfigHash,
            Config: revert || rollout.Target.Config.IsEmpty ? null : rollout.Target.Config.ToByteArray(),
            Revert: revert,
            SentAt: clock.GetUtcNow());
        var endpoint = await endpoints.GetSendEndpoint(new Uri($"queue:{AgentQueue.Name(command.AgentId)}"));
        await endpoint.Send(command, cancellationToken);
        SentHere[applyId] = 0;
    }

    public Task<AgentAnswerRecord?> FindAnswerAsync(string applyId, CancellationToken cancellationToken) =>
        db.AgentAnswers.AsNoTracking().FirstOrDefaultAsync(a => a.ApplyId == applyId, cancellationToken);
}
