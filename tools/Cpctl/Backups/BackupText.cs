using ControlPlane.Api.V1;
using Spectre.Console;

namespace ControlPlane.Cpctl.Backups;

/// <summary>How backups and their outcome read on a terminal, and when an operation on one has ended.</summary>
public static class BackupText
{
    public static bool IsFinished(BackupStatus status) =>
        status is BackupStatus.Succeeded or BackupStatus.Failed or BackupStatus.Cancelled or BackupStatus.Deleted;

    public static bool IsFinished(VerificationStatus status) =>
        status is VerificationStatus.Passed or VerificationStatus.Failed or VerificationStatus.Error;

    public static bool IsFinished(RestoreStatus status) => status is RestoreStatus.Succeeded or RestoreStatus.Failed;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.#} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB",
    };

    public static string Status(Backup b) => b.Status switch
    {
        BackupStatus.Succeeded => "[green]succeeded[/]",
        BackupStatus.Failed => "[red]failed[/]",
        _ => Names.Lower(b.Status),
    };

    public static string Verification(Backup b) => b.Verification?.Status switch
    {
        null or VerificationStatus.Unspecified => "never",
        VerificationStatus.Passed => "[green]passed[/]",
        VerificationStatus.Failed or VerificationStatus.Error => $"[red]{Names.Lower(b.Verification.Status)}[/]",
        { } other => Names.Lower(other),
    };

    public static void RenderDetail(Backup b)
    {
        var table = Cli.Table("FIELD", "VALUE");
        table.AddRow("backup", Cli.Escape(b.Id));
        table.AddRow("target", Cli.Escape(b.TargetDatabase));
        table.AddRow("kind", Names.Lower(b.Kind));
        table.AddRow("status", Status(b) + (b.Error.Length > 0 ? $" {Cli.Escape(b.Error)}" : ""));
        table.AddRow("size", Size(b.SizeBytes));
        table.AddRow("sha256", Cli.Escape(b.Sha256));
        table.AddRow("compression", Names.Lower(b.Compression) + (b.Encrypted ? $", encrypted with key {Cli.Escape(b.EncryptionKeyId)}" : ""));
        table.AddRow("artifact", Cli.Escape(b.ArtifactUri));
        table.AddRow("verification", Verification(b) + (b.Verification?.Error is { Length: > 0 } e ? $" {Cli.Escape(e)}" : ""));
        table.AddRow("trigger", $"{Names.Lower(b.Trigger)} by {Cli.Escape(b.Initiator)}");
        table.AddRow("created", b.CreatedAt?.ToDateTime().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "");
        if (b.Manifest is { } m)
        {
            table.AddRow("source", Cli.Escape($"{m.SourceEngine} {m.SourceServerVersion} {m.SourceDatabase}, schema {m.SchemaVersion}"));
            table.AddRow("tables", $"{m.Tables.Count} ({m.Tables.Sum(t => t.RowCount)} rows)");
        }
        Cli.Render(table);
        foreach (var mismatch in b.Verification?.Mismatches ?? [])
        {
            Console.WriteLine($"mismatch: {Names.Lower(mismatch.Kind)} {mismatch.Table}: expected {mismatch.Expected}, found {mismatch.Actual}");
        }
    }
}
