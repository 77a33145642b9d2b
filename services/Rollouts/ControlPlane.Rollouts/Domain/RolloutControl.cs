using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Data;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Idempotency;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Domain;

/// <summary>
/// The operator's commands on a running rollout. Each loads, changes and saves the rollout, retrying when the driver
/// saved it meanwhile (optimistic concurrency), so an operator's change is never lost under the driver's.
/// </summary>
public sealed class RolloutControl(RolloutStore store, TimeProvider clock, RolloutSignal signal)
{
    public Task<Rollout> PauseAsync(PauseRolloutRequest r, CancellationToken ct) => ChangeAsync(r.RolloutId, r.RequestId, "PauseRollout", d =>
    {
        var rollout = d.Rollout;
        Require(d.IsActive && !rollout.Reverting, rollout, "only a PENDING or RUNNING rollout that is not reverting can be paused");
        rollout.State = RolloutState.Paused;
        rollout.Reason = Said("paused", r.Initiator, r.Reason);
    }, ct);

    public Task<Rollout> ResumeAsync(ResumeRolloutRequest r, CancellationToken ct) => ChangeAsync(r.RolloutId, r.RequestId, "ResumeRollout", d =>
    {
        var rollout = d.Rollout;
        Require(rollout.State == RolloutState.Paused, rollout, "only a PAUSED rollout can be resumed");
        Require(rollout.Canary is not { AwaitingPromotion: true }, rollout, "the rollout waits for canary promotion: use PromoteRollout");
        rollout.State = RolloutState.Running;
        rollout.Reason = Said("resumed", r.Initiator, "");
        d.Work.LastProgressAt = Now;
    }, ct);

    public Task<Rollout> PromoteAsync(PromoteRolloutRequest r, CancellationToken ct) => ChangeAsync(r.RolloutId, r.RequestId, "PromoteRollout", d =>
    {
        var rollout = d.Rollout;
        Require(d.IsActive && rollout.Canary is { PromotedAt: null }, rollout, "only an active rollout with an unpromoted canary can be promoted");
        Promote(d, r.Initiator.Length > 0 ? r.Initiator : "operator", Now);
    }, ct);

    public Task<Rollout> AbortAsync(AbortRolloutRequest r, CancellationToken ct) => ChangeAsync(r.RolloutId, r.RequestId, "AbortRollout", d =>
    {
        Require(d.IsActive, d.Rollout, "only an active rollout can be aborted");
        d.Rollout.State = RolloutState.Aborted;
        d.Rollout.Reverting = false;
        d.Rollout.Reason = Said("aborted", r.Initiator, r.Reason);
        d.Work.CleanupPending = true;
    }, ct);

    public Task<Rollout> RollbackAsync(RollbackRolloutRequest r, CancellationToken ct) => ChangeAsync(r.RolloutId, r.RequestId, "RollbackRollout", async d =>
    {
        var rollout = d.Rollout;
        if (!d.IsActive)
        {
            var latest = await store.Db.Rollouts.AsNoTracking().Where(x => x.App == rollout.App)
                .OrderByDescending(x => x.CreatedAt).Select(x => x.Id).FirstAsync(ct);
            Require(latest == rollout.Id && rollout.State != RolloutState.RolledBack, rollout,
                "an ended rollout can be rolled back only while it is the app's latest and not already rolled back");
            Require(!await store.Db.Rollouts.AnyAsync(x => x.ActiveApp == rollout.App, ct), rollout, "the app has another active rollout");
            rollout.FinishedAt = null;
        }
        rollout.State = RolloutState.Running;
        rollout.Reverting = true;
        rollout.Reason = Said("rollback requested", r.Initiator, r.Reason);
        d.Work.CleanupPending = false;
    }, ct);

    /// <summary>Ends the canary phase (by PromoteRollout, or "auto" when canary_auto_promote_after passed).</summary>
    public static void Promote(RolloutDocument document, string by, DateTime now)
    {
        var rollout = document.Rollout;
        rollout.Canary.PromotedAt = Timestamp.FromDateTime(now);
        rollout.Canary.PromotedBy = by;
        rollout.Canary.AwaitingPromotion = false;
        if (rollout.State == RolloutState.Paused)
        {
            rollout.State = RolloutState.Running;
            rollout.Reason = $"canary promoted by {by}";
        }
        document.Work.LastProgressAt = now;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private Task<Rollout> ChangeAsync(string id, string requestId, string method, Action<RolloutDocument> change, CancellationToken ct) =>
        ChangeAsync(id, requestId, method, d => { change(d); return Task.CompletedTask; }, ct);

    private async Task<Rollout> ChangeAsync(string id, string requestId, string method, Func<RolloutDocument, Task> change, CancellationToken ct)
    {
        Grpc.RolloutValidation.RolloutId(id);
        if (await IdempotentRequests.FindAsync(store.Db, requestId, method, Rollout.Parser, ct) is { } earlier)
        {
            return earlier;
        }
        // In the operator's trace; the rollout's own trace shows the effect (a paused or revert span).
        using var span = RolloutsTelemetry.Source.StartActivity($"rollout {method.Replace("Rollout", "", StringComparison.Ordinal).ToLowerInvariant()}");
        span?.SetTag("controlplane.rollout.id", id);
        for (var attempt = 0; ; attempt++)
        {
            store.Db.ChangeTracker.Clear();
            var document = await store.FindAsync(id, ct) ?? RpcErrors.ThrowNotFound<RolloutDocument>("rollout", id);
            if (System.Diagnostics.ActivityContext.TryParse(document.Work.TraceParent ?? "", null, out var rolloutTrace))
            {
                span?.SetTag("controlplane.rollout.trace_id", rolloutTrace.TraceId.ToHexString());
            }
            await change(document);
            try
            {
                await store.SaveAsync(document, ct, extra: w => IdempotentRequests.Remember(w.Db, requestId, method, RolloutMapping.ForWatch(document.Rollout)));
                signal.Wake();
                return RolloutMapping.ForWatch(document.Rollout);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 10)
            {
                // The driver saved a step meanwhile: apply the operator's change to the fresh state.
            }
        }
    }

    private static string Said(string what, string initiator, string reason) =>
        what + (initiator.Length > 0 ? $" by {initiator}" : "") + (reason.Length > 0 ? $": {reason}" : "");

    private static void Require(bool condition, Rollout rollout, string message)
    {
        if (!condition)
        {
            RpcErrors.ThrowFailedPrecondition($"rollout {rollout.Id} is {RolloutStates.Name(rollout.State)}: {message}");
        }
    }
}
