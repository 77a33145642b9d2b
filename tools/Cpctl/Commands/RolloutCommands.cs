using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;
using ControlPlane.Cpctl.Rollouts;
using Grpc.Core;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Cpctl.Commands;

public static class RolloutCommands
{
    public static Command Create() => new("rollout", "Rolling updates: start, follow and steer them")
    {
        RolloutStartCommand.Create(), Status(), List(), Watch(),
        Control("pause", "Pause: no new instance is started; steps in flight finish", withReason: true,
            (c, id, reason, who, token) => c.PauseRolloutAsync(new PauseRolloutRequest { RolloutId = id, Reason = reason, Initiator = who }, cancellationToken: token)),
        Control("resume", "Continue a paused rollout", withReason: false,
            (c, id, _, who, token) => c.ResumeRolloutAsync(new ResumeRolloutRequest { RolloutId = id, Initiator = who }, cancellationToken: token)),
        Control("promote", "End the canary phase: update the rest of the instances", withReason: false,
            (c, id, _, who, token) => c.PromoteRolloutAsync(new PromoteRolloutRequest { RolloutId = id, Initiator = who }, cancellationToken: token)),
        Control("abort", "Stop for good; updated instances keep the target, nothing is reverted", withReason: true,
            (c, id, reason, who, token) => c.AbortRolloutAsync(new AbortRolloutRequest { RolloutId = id, Reason = reason, Initiator = who }, cancellationToken: token)),
        Control("rollback", "Return every touched instance to what it ran before", withReason: true,
            (c, id, reason, who, token) => c.RollbackRolloutAsync(new RollbackRolloutRequest { RolloutId = id, Reason = reason, Initiator = who }, cancellationToken: token)),
    };

    private static Command Status()
    {
        var id = new Argument<string>("rollout") { Description = "rollout id (or use --app)", Arity = ArgumentArity.ZeroOrOne };
        var app = new Option<string>("--app") { Description = "the app's active rollout, else its latest" };
        var status = new Command("status", "One rollout with its steps") { id, app };
        status.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            if (string.IsNullOrEmpty(parse.GetValue(id)) == string.IsNullOrEmpty(parse.GetValue(app)))
            {
                return Cli.Error("give either a rollout id or --app", Cli.InvalidInput);
            }
            var rollout = await new RolloutsClient(channel).GetRolloutAsync(
                new GetRolloutRequest { RolloutId = parse.GetValue(id) ?? "", App = parse.GetValue(app) ?? "" }, cancellationToken: token);
            if (json)
            {
                Cli.Json(rollout);
            }
            else
            {
                RolloutText.RenderDetail(rollout);
            }
            return Cli.Ok;
        }, ct));
        return status;
    }

    private static Command List()
    {
        var app = new Option<string>("--app") { Description = "only this app" };
        var states = new Option<RolloutState[]>("--state") { Description = "only these states (repeatable), e.g. Running", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int>("--limit") { Description = "at most this many, newest first", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Rollouts, newest first") { app, states, limit };
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var request = new ListRolloutsRequest { App = parse.GetValue(app) ?? "", PageSize = parse.GetValue(limit) };
            request.States.AddRange(parse.GetValue(states) ?? []);
            var response = await new RolloutsClient(channel).ListRolloutsAsync(request, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("ROLLOUT", "APP", "TARGET", "STATE", "PROGRESS", "CREATED", "REASON");
            foreach (var r in response.Rollouts)
            {
                table.AddRow(Cli.Escape(r.Id), Cli.Escape(r.App), Cli.Escape(RolloutText.Target(r.Target)), RolloutText.Colour(r.State),
                    r.Progress is { } p ? $"{p.Done}/{p.Total}" : "", r.CreatedAt?.ToDateTime().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "",
                    Cli.Escape(r.Reason));
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));
        return list;
    }

    private static Command Watch()
    {
        var id = new Argument<string>("rollout") { Description = "rollout id" };
        var watch = new Command("watch", "Follow a rollout until it ends: exit 0 when it SUCCEEDED, 5 when it failed, rolled back or was aborted") { id };
        watch.SetAction((parse, ct) => Cli.RunAsync(parse,
            (channel, json, token) => RolloutWatch.RunAsync(new RolloutsClient(channel), parse.GetValue(id)!, json, token), ct));
        return watch;
    }

    private delegate AsyncUnaryCall<Rollout> ControlCall(RolloutsClient client, string rolloutId, string reason, string initiator, CancellationToken token);

    /// <summary>pause, resume, promote, abort and rollback share their shape: an id, who asks, maybe why; the rollout after.</summary>
    private static Command Control(string name, string description, bool withReason, ControlCall call)
    {
        var id = new Argument<string>("rollout") { Description = "rollout id" };
        var reason = new Option<string>("--reason") { Description = "why, recorded in the rollout" };
        var initiator = new Option<string>("--initiator") { Description = "who asks", DefaultValueFactory = _ => Cli.DefaultInitiator };
        var command = new Command(name, description) { id, initiator };
        if (withReason)
        {
            command.Options.Add(reason);
        }
        command.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var rollout = await call(new RolloutsClient(channel), parse.GetValue(id)!, withReason ? parse.GetValue(reason) ?? "" : "",
                parse.GetValue(initiator) ?? "", token);
            if (json)
            {
                Cli.Json(rollout);
            }
            else
            {
                Console.WriteLine($"{rollout.Id}: {Names.Upper(rollout.State)}" + (rollout.Reason.Length > 0 ? $" ({rollout.Reason})" : ""));
            }
            return Cli.Ok;
        }, ct));
        return command;
    }
}
