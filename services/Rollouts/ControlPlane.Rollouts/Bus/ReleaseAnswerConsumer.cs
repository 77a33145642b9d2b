using ControlPlane.Contracts;
using ControlPlane.Rollouts.Data;
using ControlPlane.Rollouts.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Bus;

/// <summary>
/// Records Agents' answers for the driver (whichever replica receives them; the driver may run on another). Idempotent
/// by ApplyId: a repeated answer changes nothing.
/// </summary>
public sealed class ReleaseAnswerConsumer(RolloutsDbContext db, RolloutSignal signal, TimeProvider clock)
    : IConsumer<ReleaseApplied>, IConsumer<ReleaseFailed>
{
    public const string EndpointName = "rollouts-release-answers";

    public Task Consume(ConsumeContext<ReleaseApplied> context) =>
        RecordAsync(context.Message.ApplyId, true, context.Message.Version, "", context.CancellationToken);

    public Task Consume(ConsumeContext<ReleaseFailed> context) =>
        RecordAsync(context.Message.ApplyId, false, context.Message.Version, context.Message.Reason, context.CancellationToken);

    private async Task RecordAsync(string applyId, bool ok, string version, string error, CancellationToken cancellationToken)
    {
        if (!await db.AgentAnswers.AnyAsync(a => a.ApplyId == applyId, cancellationToken))
        {
            db.AgentAnswers.Add(new AgentAnswerRecord { ApplyId = applyId, Ok = ok, Version = version, Error = error, ReceivedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same answer recorded concurrently (a redelivery); anything else fails on the retry's insert.
                db.ChangeTracker.Clear();
                if (!await db.AgentAnswers.AsNoTracking().AnyAsync(a => a.ApplyId == applyId, cancellationToken))
                {
                    throw;
                }
            }
        }
        signal.Wake();
    }
}
