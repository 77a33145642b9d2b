namespace ControlPlane.Backups.Tests;

/// <summary>A temporary folder (an artifact repository, SQLite files) removed at dispose.</summary>
public sealed class TestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cp-backups-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still open by a finishing host: the OS cleans its temp folder.
        }
    }
}
