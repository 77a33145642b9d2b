using ControlPlane.Api.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ControlPlane.Dashboard.Api;

/// <summary>
/// What an operator does from the page, each one call of the gRPC API made with their key (so the API's role check
/// and audit log apply as for cpctl). The page confirms each before it posts.
/// </summary>
public static class ActionEndpoints
{
    public sealed record StartRolloutBody(string? App, string? Version, int? MaxParallel, int? Canary, string? Description);

    public sealed record ReasonBody(string? Reason);

    public sealed record DrainBody(bool? Draining, string? Reason);

    public sealed record CreateBackupBody(bool? Verify, string? Description);

    public static void Map(RouteGroupBuilder actions)
    {
        actions.MapPost("/rollouts", (HttpRequest request, DashboardClients c) => WithBody<StartRolloutBody>(request, body => StartRolloutAsync(body, c)));
        actions.MapPost("/rollouts/{id}/{action}", (string id, string action, HttpRequest request, DashboardClients c) =>
            WithBody<ReasonBody>(request, body => ApiErrors.Try(async () => ProtoJson.Result(await RolloutActionAsync(c, id, action, body?.Reason ?? "")))));
        actions.MapPost("/instances/{id}/drain", (string id, HttpRequest request, DashboardClients c) => WithBody<DrainBody>(request, body =>
            body?.Draining is not { } draining
                ? Task.FromResult(ApiErrors.BadField("draining", "true to drain, false to undrain"))
                : ApiErrors.Try(async () => ProtoJson.Result(await c.Registry.SetDrainAsync(new SetDrainRequest
                {
                    InstanceId = id,
                    Draining = draining,
                    Reason = string.IsNullOrWhiteSpace(body.Reason) ? $"{(draining ? "drained" : "undrained")} by {c.Initiator}" : body.Reason,
                }, c.Call)))));
        actions.MapPost("/backups", (HttpRequest request, DashboardClients c) => WithBody<CreateBackupBody>(request, body => ApiErrors.Try(async () =>
            ProtoJson.Result(await c.Backups.CreateBackupAsync(new CreateBackupRequest
            {
                Verify = body?.Verify ?? false,
                Initiator = c.Initiator,
                Description = body?.Description ?? "",
            }, c.Call)))));
        actions.MapPost("/backups/{id}/verify", (string id, DashboardClients c) => ApiErrors.Try(async () =>
            ProtoJson.Result(await c.Backups.VerifyBackupAsync(new VerifyBackupRequest { BackupId = id }, c.Call))));
    }

    private static async Task<IResult> WithBody<T>(HttpRequest request, Func<T?, Task<IResult>> handle) where T : class
    {
        var (body, error) = await JsonBody.ReadAsync<T>(request);
        return error ?? await handle(body);
    }

    private static Task<IResult> StartRolloutAsync(StartRolloutBody? body, DashboardClients c)
    {
        if (string.IsNullOrWhiteSpace(body?.App))
        {
            return Task.FromResult(ApiErrors.BadField("app", "choose the app to roll out"));
        }
        if (string.IsNullOrWhiteSpace(body.Version))
        {
            return Task.FromResult(ApiErrors.BadField("version", "the version to roll out is required"));
        }
        if (body.MaxParallel is < 1)
        {
            return Task.FromResult(ApiErrors.BadField("maxParallel", "at least 1 instance at a time"));
        }
        if (body.Canary is < 0)
        {
            return Task.FromResult(ApiErrors.BadField("canary", "0 or more canary instances"));
        }
        var strategy = new RolloutStrategy();
        if (body.MaxParallel is { } parallel)
        {
            strategy.MaxParallel = parallel;
        }
        if (body.Canary is { } canary)
        {
            strategy.Canary = canary;
        }
        return ApiErrors.Try(async () => ProtoJson.Result(await c.Rollouts.StartRolloutAsync(new StartRolloutRequest
        {
            App = body.App.Trim(),
            Target = new RolloutTarget { Version = body.Version.Trim() },
            Strategy = strategy,
            Initiator = c.Initiator,
            Description = body.Description ?? "",
        }, c.Call)));
    }

    /// <summary>An action that is none of a rollout's answers InvalidArgument, shown as the API's own would be.</summary>
    private static async Task<Rollout> RolloutActionAsync(DashboardClients c, string id, string action, string reason) => action switch
    {
        "pause" => await c.Rollouts.PauseRolloutAsync(new PauseRolloutRequest { RolloutId = id, Reason = reason, Initiator = c.Initiator }, c.Call),
        "resume" => await c.Rollouts.ResumeRolloutAsync(new ResumeRolloutRequest { RolloutId = id, Initiator = c.Initiator }, c.Call),
        "promote" => await c.Rollouts.PromoteRolloutAsync(new PromoteRolloutRequest { RolloutId = id, Initiator = c.Initiator }, c.Call),
        "abort" => await c.Rollouts.AbortRolloutAsync(new AbortRolloutRequest { RolloutId = id, Reason = reason, Initiator = c.Initiator }, c.Call),
        "rollback" => await c.Rollouts.RollbackRolloutAsync(new RollbackRolloutRequest { RolloutId = id, Reason = reason, Initiator = c.Initiator }, c.Call),
        _ => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.InvalidArgument,
            $"action: '{action}' is not one of pause, resume, promote, abort, rollback")),
    };
}
