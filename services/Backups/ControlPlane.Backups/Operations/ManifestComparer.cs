using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;

namespace ControlPlane.Backups.Operations;

/// <summary>What differs between a backup's manifest and what its artifact holds (files) or restores into (tables).</summary>
public static class ManifestComparer
{
    /// <summary>Every stored file against its recorded SHA-256; a missing file is reported as a mismatch too.</summary>
    public static async Task<List<VerificationMismatch>> CheckFilesAsync(string folder, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var mismatches = new List<VerificationMismatch>();
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Path);
            var actual = File.Exists(path) ? await ArtifactFiles.Sha256Async(path, cancellationToken) : "missing";
            if (actual != file.Sha256)
            {
                mismatches.Add(new VerificationMismatch { Kind = MismatchKind.ArtifactSha256, Table = file.Path, Expected = file.Sha256, Actual = actual });
            }
        }
        return mismatches;
    }

    public static List<VerificationMismatch> CompareTables(IEnumerable<TableManifest> expected, IEnumerable<TableManifest> actual)
    {
        var found = actual.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var mismatches = new List<VerificationMismatch>();
        foreach (var table in expected)
        {
            if (!found.Remove(table.Name, out var restored))
            {
                mismatches.Add(new VerificationMismatch { Kind = MismatchKind.MissingTable, Table = table.Name, Expected = Rows(table.RowCount) });
            }
            else if (restored.RowCount != table.RowCount)
            {
                mismatches.Add(new VerificationMismatch
                {
                    Kind = MismatchKind.RowCount, Table = table.Name, Expected = Rows(table.RowCount), Actual = Rows(restored.RowCount),
                });
            }
            else if (restored.Checksum != table.Checksum)
            {
                mismatches.Add(new VerificationMismatch { Kind = MismatchKind.Checksum, Table = table.Name, Expected = table.Checksum, Actual = restored.Checksum });
            }
        }
        mismatches.AddRange(found.Values.Select(t => new VerificationMismatch { Kind = MismatchKind.UnexpectedTable, Table = t.Name, Actual = Rows(t.RowCount) }));
        return mismatches;
    }

    public static List<VerificationMismatch> CompareConfig(IEnumerable<ConfigItem> expected, IEnumerable<ConfigItem> actual) =>
        CompareTables(
            expected.Select(i => new TableManifest { Name = i.Path, RowCount = 1, Checksum = i.Sha256 }),
            actual.Select(i => new TableManifest { Name = i.Path, RowCount = 1, Checksum = i.Sha256 }));

    /// <summary>One line an operator can read, e.g. "checksum of public.users differs: expected 12, got 13".</summary>
    public static string Describe(VerificationMismatch m) => m.Kind switch
    {
        MismatchKind.ArtifactSha256 => $"artifact SHA-256 of {m.Table} differs: expected {m.Expected}, got {m.Actual}",
        MismatchKind.MissingTable => $"table {m.Table} is missing after restore",
        MismatchKind.UnexpectedTable => $"table {m.Table} was not in the backup",
        MismatchKind.RowCount => $"row count of {m.Table} differs: expected {m.Expected}, got {m.Actual}",
        _ => $"checksum of {m.Table} differs: expected {m.Expected}, got {m.Actual}",
    };

    private static string Rows(long count) => count.ToString(CultureInfo.InvariantCulture);
}
