using System.CommandLine;
using ControlPlane.Api.V1;
using ControlPlane.Cpctl.Backups;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Cpctl.Commands;

/// <summary>`backup restore`: overwrites a database, so it is refused without an explicit --yes.</summary>
public static class BackupRestoreCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("backup") { Description = "backup id" };
        var target = new Option<string>("--target") { Description = "named database to overwrite (required: there is no default)", Required = true };
        var yes = new Option<bool>("--yes") { Description = "confirm that the target database is overwritten" };
        var skipSafety = new Option<bool>("--skip-safety-backup") { Description = "do not back up the target before overwriting it" };
        var dryRun = new Option<bool>("--dry-run") { Description = "only check that it can be restored there; nothing is written" };
        var reason = new Option<string>("--reason") { Description = "why, recorded with the restore" };
        var initiator = new Option<string>("--initiator") { Description = "who asks", DefaultValueFactory = _ => Cli.DefaultInitiator };
        var wait = BackupCommands.WaitOption();
        var restore = new Command("restore", "Overwrite a database with a backup (needs --yes)") { id, target, yes, skipSafety, dryRun, reason, initiator, wait };
        restore.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var database = parse.GetValue(target)!;
            if (!parse.GetValue(yes) && !parse.GetValue(dryRun))
            {
                return Cli.Error($"restore overwrites database '{database}' with backup {parse.GetValue(id)}: add --yes to confirm (or --dry-run to only check)",
                    Cli.InvalidInput);
            }
            var client = new BackupsClient(channel);
            var started = await client.RestoreBackupAsync(new RestoreBackupRequest
            {
                BackupId = parse.GetValue(id)!,
                TargetDatabase = database,
                Confirm = database,
                SkipSafetyBackup = parse.GetValue(skipSafety),
                DryRun = parse.GetValue(dryRun),
                Reason = parse.GetValue(reason) ?? "",
                Initiator = parse.GetValue(initiator) ?? "",
            }, cancellationToken: token);
            var result = started;
            if (parse.GetValue(wait) && !BackupText.IsFinished(started.Status))
            {
                var last = await new BackupFollower(client, started.BackupId, started.Revision).FollowAsync("restore",
                    e => e.Restore?.Id == started.Id && BackupText.IsFinished(e.Restore.Status), json, token);
                result = last.Restore;
            }
            if (json)
            {
                Cli.Json(result);
            }
            else
            {
                Console.WriteLine($"restore {result.Id} of backup {result.BackupId} into {result.TargetDatabase}: {Names.Lower(result.Status)}" +
                    (result.DryRun ? " (dry run, nothing written)" : "") + (result.SafetyBackupId.Length > 0 ? $"; safety backup {result.SafetyBackupId}" : ""));
            }
            return result.Status == RestoreStatus.Failed
                ? Cli.Error($"restore {result.Id} failed: {result.Error}", Cli.OperationFailed)
                : Cli.Ok;
        }, ct));
        return restore;
    }
}
