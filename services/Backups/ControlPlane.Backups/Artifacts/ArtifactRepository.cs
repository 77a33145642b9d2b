using ControlPlane.Backups.Domain;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Artifacts;

/// <summary>
/// The artifact folder: one sub-folder per target and backup, <c>{root}/{target}/{backup id}/</c>, holding the
/// database artifact, the fleet configuration and manifest.json. Every replica must see the same folder.
/// </summary>
public sealed class ArtifactRepository(IOptions<BackupsOptions> options)
{
    public const string ManifestFile = "manifest.json";

    public string Root { get; } = Path.GetFullPath(options.Value.RepositoryPath);

    public string FolderOf(string target, string backupId) => Path.Combine(Root, target, backupId);

    public string CreateFolder(string target, string backupId)
    {
        var folder = FolderOf(target, backupId);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A folder for temporary files (SQLite snapshots and scratch copies), on the same volume as the artifacts.</summary>
    public string ScratchFolder()
    {
        var folder = Path.Combine(Root, ".scratch");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string UriOf(string folder) => new Uri(Path.TrimEndingDirectorySeparator(folder) + "/").AbsoluteUri;

    public static string FolderOfUri(string uri) => Path.TrimEndingDirectorySeparator(new Uri(uri).LocalPath);

    /// <summary>Removes a backup's folder; a folder already gone is fine (a retried delete).</summary>
    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The stored name of an artifact file: ".gz" when this service compressed it, ".enc" when encrypted.</summary>
    public static string FileName(string baseName, bool gzip, bool encrypted) =>
        baseName + (gzip ? ".gz" : "") + (encrypted ? ".enc" : "");
}
