using System.CommandLine;
using ControlPlane.Api.V1;
using ControlPlane.Cpctl.Rollouts;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Cpctl.Commands;

/// <summary>`rollout start APP --version V ...`: the strategy flags override the app's rollout defaults one by one.</summary>
public static class RolloutStartCommand
{
    public static Command Create()
    {
        var app = new Argument<string>("app") { Description = "app to roll out to" };
        var version = new Option<string>("--version") { Description = "target version" };
        var configHash = new Option<string>("--config-hash") { Description = "target configuration hash" };
        var configFile = new Option<FileInfo>("--config-file") { Description = "configuration file to apply (its hash is computed by the suite)" };
        var plugins = new Option<string[]>("--plugins") { Description = "plugin set after the rollout (replaces the current one); comma-separated or repeated", AllowMultipleArgumentsPerToken = true };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "instances updated at the same time" };
        var canary = new Option<int?>("--canary") { Description = "instances updated first; the rollout then waits for `rollout promote`" };
        var autoPromote = Durations.Option("--canary-auto-promote-after", "promote the canary automatically after this long");
        var minHealthy = Durations.Option("--min-healthy", "how long an updated instance must stay HEALTHY");
        var healthyDeadline = Durations.Option("--healthy-deadline", "how long an updated instance may take to become HEALTHY");
        var progressDeadline = Durations.Option("--progress-deadline", "how long the rollout may go without an instance completing");
        var backupBefore = new Option<bool>("--backup-before") { Description = "take and verify a backup of the shared database first" };
        var noAutoRevert = new Option<bool>("--no-auto-revert") { Description = "on failure, leave updated instances as they are" };
        var instances = new Option<string[]>("--instance") { Description = "only these instances, in this order (repeatable)" };
        var selector = KeyValues.Option("--selector", "only instances carrying these labels");
        var description = new Option<string>("--description") { Description = "why, e.g. \"upgrade for CVE-2025-1234\"" };
        var initiator = new Option<string>("--initiator") { Description = "who asks", DefaultValueFactory = _ => Cli.DefaultInitiator };
        var requestId = new Option<string>("--request-id") { Description = "idempotency key: the same id never starts two rollouts" };
        var dryRun = new Option<bool>("--dry-run") { Description = "show the plan without starting it" };
        var watch = new Option<bool>("--watch", "-w") { Description = "follow the rollout until it ends (exit code as `rollout watch`)" };
        var start = new Command("start", "Start a rollout; prints its id (json: the Rollout)")
        {
            app, version, configHash, configFile, plugins, maxParallel, canary, autoPromote, minHealthy, healthyDeadline, progressDeadline,
            backupBefore, noAutoRevert, instances, selector, description, initiator, requestId, dryRun, watch,
        };
        start.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var target = new RolloutTarget { Version = parse.GetValue(version) ?? "", ConfigHash = parse.GetValue(configHash) ?? "" };
            if (parse.GetValue(configFile) is { } file)
            {
                if (!file.Exists)
                {
                    return Cli.Error($"--config-file {file.FullName} does not exist", Cli.InvalidInput);
                }
                target.Config = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, token));
            }
            if (parse.GetResult(plugins) is not null)
            {
                target.PluginsSet = true;
                target.Plugins.AddRange((parse.GetValue(plugins) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            }
            var strategy = new RolloutStrategy();
            if (parse.GetValue(maxParallel) is { } parallel)
            {
                strategy.MaxParallel = parallel;
            }
            if (parse.GetValue(canary) is { } canaries)
            {
                strategy.Canary = canaries;
            }
            strategy.CanaryAutoPromoteAfter = ToDuration(parse.GetValue(autoPromote));
            strategy.MinHealthyTime = ToDuration(parse.GetValue(minHealthy));
            strategy.HealthyDeadline = ToDuration(parse.GetValue(healthyDeadline));
            strategy.ProgressDeadline = ToDuration(parse.GetValue(progressDeadline));
            if (parse.GetValue(backupBefore))
            {
                strategy.BackupBefore = true;
            }
            if (parse.GetValue(noAutoRevert))
            {
                strategy.AutoRevert = false;
            }
            var request = new StartRolloutRequest
            {
                App = parse.GetValue(app)!,
                Target = target,
                Strategy = strategy,
                Initiator = parse.GetValue(initiator) ?? "",
                Description = parse.GetValue(description) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
                DryRun = parse.GetValue(dryRun),
            };
            request.InstanceIds.AddRange(parse.GetValue(instances) ?? []);
            request.LabelSelector.Add(parse.GetValue(selector) ?? []);

            var client = new RolloutsClient(channel);
            var rollout = await client.StartRolloutAsync(request, cancellationToken: token);
            if (json)
            {
                Cli.Json(rollout);
            }
            else if (request.DryRun)
            {
                Console.WriteLine($"plan for {rollout.App} ({RolloutText.Target(rollout.Target)}), not started:");
                RolloutText.RenderSteps(rollout.Steps);
            }
            else
            {
                // The id alone on stdout, so `id=$(cpctl rollout start ...)` works.
                Console.WriteLine(rollout.Id);
            }
            return parse.GetValue(watch) && !request.DryRun ? await RolloutWatch.RunAsync(client, rollout.Id, json, token) : Cli.Ok;
        }, ct));
        return start;
    }

    private static Duration? ToDuration(TimeSpan? value) => value is { } span ? Duration.FromTimeSpan(span) : null;
}
