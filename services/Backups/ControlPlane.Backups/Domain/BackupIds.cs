using System.Globalization;
using System.Security.Cryptography;

namespace ControlPlane.Backups.Domain;

/// <summary>Ids that sort by creation time ("b-20250301030000123-1a2b"), so newest-first is ordering by id.</summary>
public static class BackupIds
{
    public static string NewBackup(DateTime now) => New("b", now);

    public static string NewRestore(DateTime now) => New("r", now);

    /// <summary>A PostgreSQL-safe database name for a verification's scratch copy.</summary>
    public static string ScratchName(string prefix, string backupId) =>
        (prefix + backupId.Replace('-', '_')).ToLowerInvariant() is var name && name.Length > 63 ? name[..63] : name;

    private static string New(string prefix, DateTime now) =>
        $"{prefix}-{now.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
}
