using System.CommandLine;
using ControlPlane.Api.V1;
using Spectre.Console;
using ControlPlane.Cpctl.Backups;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Cpctl.Commands;

public static class BackupCommands
{
    public static Command Create() => new("backup", "Backups of the shared database and the fleet configuration")
    {
        CreateBackup(), List(), Get(), Verify(), BackupRestoreCommand.Create(),
    };

    /// <summary>--wait: follow the operation with a progress bar (terminal) or lines; exit 5 when it ends badly.</summary>
    public static Option<bool> WaitOption() => new("--wait", "-w") { Description = "follow it with progress until it ends" };

    private static Command CreateBackup()
    {
        var target = new Option<string>("--target") { Description = "named target database (default: the control plane's own)" };
        var kind = new Option<BackupKind>("--kind") { Description = "Database (default), Config or Full" };
        var compression = new Option<BackupCompression>("--compression") { Description = "None, Gzip or Zstd (default: as configured)" };
        var verify = new Option<bool>("--verify") { Description = "verify the backup (restore into a scratch database) once taken" };
        var pin = new Option<bool>("--pin") { Description = "keep it whatever the retention policy says" };
        var description = new Option<string>("--description") { Description = "why it was taken" };
        var labels = KeyValues.Option("--label", "labels");
        var initiator = new Option<string>("--initiator") { Description = "who asks", DefaultValueFactory = _ => Cli.DefaultInitiator };
        var requestId = new Option<string>("--request-id") { Description = "idempotency key" };
        var wait = WaitOption();
        var create = new Command("create", "Take a backup; prints its id (json: the Backup), or follows it with --wait")
        {
            target, kind, compression, verify, pin, description, labels, initiator, requestId, wait,
        };
        create.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var client = new BackupsClient(channel);
            var request = new CreateBackupRequest
            {
                TargetDatabase = parse.GetValue(target) ?? "",
                Kind = parse.GetValue(kind),
                Compression = parse.GetValue(compression),
                Verify = parse.GetValue(verify),
                Pinned = parse.GetValue(pin),
                Initiator = parse.GetValue(initiator) ?? "",
                Description = parse.GetValue(description) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
            };
            request.Labels.Add(parse.GetValue(labels) ?? []);
            var backup = await client.CreateBackupAsync(request, cancellationToken: token);
            if (!parse.GetValue(wait))
            {
                Print(backup, json);
                return Cli.Ok;
            }
            bool Done(Backup b) => b.Id == backup.Id && BackupText.IsFinished(b.Status)
                && (!request.Verify || b.Status != BackupStatus.Succeeded || BackupText.IsFinished(b.Verification?.Status ?? VerificationStatus.Unspecified));
            if (!Done(backup))
            {
                await new BackupFollower(client, backup.Id, backup.Revision).FollowAsync("backup", e => e.Backup is { } b && Done(b), json, token);
                backup = await client.GetBackupAsync(new GetBackupRequest { BackupId = backup.Id }, cancellationToken: token);
            }
            return Finish(backup, json, backup.Status == BackupStatus.Succeeded
                && (!request.Verify || backup.Verification?.Status == VerificationStatus.Passed));
        }, ct));
        return create;
    }

    private static Command List()
    {
        var target = new Option<string>("--target") { Description = "only this target database" };
        var statuses = new Option<BackupStatus[]>("--status") { Description = "only these statuses (repeatable); default: all but Deleted", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int>("--limit") { Description = "at most this many, newest first", DefaultValueFactory = _ => 100 };
        var list = new Command("list", "Backups, newest first") { target, statuses, limit };
        list.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var request = new ListBackupsRequest { TargetDatabase = parse.GetValue(target) ?? "", PageSize = parse.GetValue(limit) };
            request.Statuses.AddRange(parse.GetValue(statuses) ?? []);
            var response = await new BackupsClient(channel).ListBackupsAsync(request, cancellationToken: token);
            if (json)
            {
                Cli.Json(response);
                return Cli.Ok;
            }
            var table = Cli.Table("BACKUP", "TARGET", "KIND", "STATUS", "SIZE", "VERIFIED", "CREATED", "BY");
            foreach (var b in response.Backups)
            {
                table.AddRow(Cli.Escape(b.Id), Cli.Escape(b.TargetDatabase), Names.Lower(b.Kind), BackupText.Status(b), BackupText.Size(b.SizeBytes),
                    BackupText.Verification(b), b.CreatedAt?.ToDateTime().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "", Cli.Escape(b.Initiator));
            }
            Cli.Render(table);
            return Cli.Ok;
        }, ct));
        return list;
    }

    private static Command Get()
    {
        var id = new Argument<string>("backup") { Description = "backup id" };
        var get = new Command("get", "One backup with its manifest and verification") { id };
        get.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var backup = await new BackupsClient(channel).GetBackupAsync(new GetBackupRequest { BackupId = parse.GetValue(id)! }, cancellationToken: token);
            if (json)
            {
                Cli.Json(backup);
            }
            else
            {
                BackupText.RenderDetail(backup);
            }
            return Cli.Ok;
        }, ct));
        return get;
    }

    private static Command Verify()
    {
        var id = new Argument<string>("backup") { Description = "backup id" };
        var wait = WaitOption();
        var verify = new Command("verify", "Restore a backup into a scratch database and check it against its manifest") { id, wait };
        verify.SetAction((parse, ct) => Cli.RunAsync(parse, async (channel, json, token) =>
        {
            var client = new BackupsClient(channel);
            var backup = await client.VerifyBackupAsync(new VerifyBackupRequest { BackupId = parse.GetValue(id)! }, cancellationToken: token);
            if (!parse.GetValue(wait))
            {
                Print(backup, json);
                return Cli.Ok;
            }
            if (!BackupText.IsFinished(backup.Verification?.Status ?? VerificationStatus.Unspecified))
            {
                await new BackupFollower(client, backup.Id, backup.Revision).FollowAsync("verify",
                    e => e.Backup?.Id == backup.Id && BackupText.IsFinished(e.Backup.Verification?.Status ?? VerificationStatus.Unspecified), json, token);
                backup = await client.GetBackupAsync(new GetBackupRequest { BackupId = backup.Id }, cancellationToken: token);
            }
            return Finish(backup, json, backup.Verification?.Status == VerificationStatus.Passed);
        }, ct));
        return verify;
    }

    private static void Print(Backup backup, bool json)
    {
        if (json)
        {
            Cli.Json(backup);
        }
        else
        {
            Console.WriteLine(backup.Id);
        }
    }

    private static int Finish(Backup backup, bool json, bool succeeded)
    {
        if (json)
        {
            Cli.Json(backup);
        }
        else
        {
            BackupText.RenderDetail(backup);
        }
        return succeeded ? Cli.Ok : Cli.Error($"backup {backup.Id} {Names.Lower(backup.Status)}, verification {Names.Lower(backup.Verification?.Status ?? VerificationStatus.Unspecified)}" +
            (backup.Error.Length > 0 ? $": {backup.Error}" : backup.Verification?.Error is { Length: > 0 } e ? $": {e}" : ""), Cli.OperationFailed);
    }
}
