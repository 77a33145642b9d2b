using ControlPlane.Api.V1;
using Grpc.Core;
using Spectre.Console;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Cpctl.Backups;

/// <summary>
/// Follows one backup's operation (create, verify or restore) through WatchBackups, from the revision the starting
/// call answered with (so nothing in between is missed), until <c>isDone</c>; with a progress bar on a terminal.
/// </summary>
public sealed class BackupFollower(BackupsClient client, string backupId, long fromRevision)
{
    private const int MaxReconnects = 10;

    public async Task<BackupEvent> FollowAsync(string what, Func<BackupEvent, bool> isDone, bool quiet, CancellationToken cancellationToken)
    {
        if (quiet)
        {
            return await WatchAsync(isDone, _ => { }, cancellationToken);
        }
        if (!Cli.IsLiveTerminal)
        {
            var lastLine = "";
            return await WatchAsync(isDone, e =>
            {
                var line = $"{what} {backupId}: {Describe(e)}";
                if (line != lastLine)
                {
                    Console.WriteLine(line);
                    lastLine = line;
                }
            }, cancellationToken);
        }
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{what} {Cli.Escape(backupId)}", maxValue: 100);
                var last = await WatchAsync(isDone, e =>
                {
                    task.Description = $"{what} {Cli.Escape(backupId)} [grey]{Cli.Escape(Describe(e))}[/]";
                    if (e.Progress is { } p && Fraction(p) is { } fraction)
                    {
                        task.Value = Math.Max(task.Value, fraction * 100);
                    }
                }, cancellationToken);
                task.Value = 100;
                return last;
            });
    }

    private async Task<BackupEvent> WatchAsync(Func<BackupEvent, bool> isDone, Action<BackupEvent> onEvent, CancellationToken cancellationToken)
    {
        var revision = fromRevision;
        var reconnects = 0;
        while (true)
        {
            try
            {
                using var call = client.WatchBackups(new WatchBackupsRequest { BackupId = backupId, FromRevision = revision, IncludeProgress = true },
                    cancellationToken: cancellationToken);
                await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    // Progress events carry the latest stored revision, not one of their own: resuming from it is still right.
                    revision = Math.Max(revision, e.Revision);
                    reconnects = 0;
                    onEvent(e);
                    if (isDone(e))
                    {
                        return e;
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && reconnects < MaxReconnects)
            {
                reconnects++;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static double? Fraction(BackupProgress p) =>
        p.BytesTotal > 0 ? Math.Min(1, (double)p.BytesDone / p.BytesTotal)
        : p.TablesTotal > 0 ? Math.Min(1, (double)p.TablesDone / p.TablesTotal)
        : null;

    private static string Describe(BackupEvent e) => e.Type switch
    {
        BackupEventType.Progress when e.Progress is { } p =>
            Names.Lower(p.Phase) + (p.BytesDone > 0 ? $", {BackupText.Size(p.BytesDone)}" : "") + (p.TablesTotal > 0 ? $", table {p.TablesDone}/{p.TablesTotal}" : ""),
        BackupEventType.RestoreChanged when e.Restore is { } r => $"restore {Names.Lower(r.Status)}" + (r.Error.Length > 0 ? $": {r.Error}" : ""),
        BackupEventType.VerificationChanged when e.Backup?.Verification is { } v => $"verification {Names.Lower(v.Status)}",
        _ when e.Backup is { } b => Names.Lower(b.Status) + (b.Error.Length > 0 ? $": {b.Error}" : ""),
        _ => Names.Lower(e.Type),
    };
}
