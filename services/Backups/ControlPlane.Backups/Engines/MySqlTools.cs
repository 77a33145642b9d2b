using System.Collections.Concurrent;
using ControlPlane.Backups.Domain;
using Microsoft.Extensions.Options;
using MySql.Data.MySqlClient;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Finds the MySQL/MariaDB client tools: MariaDB's names first (mariadb-dump, mariadb), then MySQL's (mysqldump,
/// mysql), in Backups:MySqlBinPath when set (and only there), else on the PATH.
/// </summary>
public sealed class MySqlTools(IOptions<BackupsOptions> options)
{
    public static readonly string[] Dumpers = ["mariadb-dump", "mysqldump"];
    public static readonly string[] Clients = ["mariadb", "mysql"];

    private readonly ConcurrentDictionary<string, string> _versions = new();

    public string Find(string[] names)
    {
        var configured = options.Value.MySqlBinPath;
        var folders = string.IsNullOrWhiteSpace(configured)
            ? (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : new[] { configured };
        var found = names.SelectMany(name => folders.Select(folder => Path.Combine(folder, name))).FirstOrDefault(File.Exists);
        return found ?? throw new BackupFailedException(string.IsNullOrWhiteSpace(configured)
            ? $"{string.Join(" or ", names)} not found on the PATH: install mariadb-client or set Backups:MySqlBinPath"
            : $"{string.Join(" or ", names)} not found in {configured} (Backups:MySqlBinPath)");
    }

    /// <summary>e.g. "10.11.19-MariaDB" for "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu".</summary>
    public async Task<string> VersionAsync(string path, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(path, out var known))
        {
            return known;
        }
        using var output = new MemoryStream();
        var result = await ToolProcess.RunAsync(path, ["--version"], new Dictionary<string, string>(), null, output, null, cancellationToken);
        var words = System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var distrib = Array.IndexOf(words, "Distrib");
        var version = result.ExitCode != 0 ? "unknown"
            : distrib >= 0 && distrib + 1 < words.Length ? words[distrib + 1].TrimEnd(',')
            : words.SkipWhile(w => w != "Ver").Skip(1).FirstOrDefault() ?? "unknown";
        return _versions[path] = version;
    }

    /// <summary>
    /// The connection options that start a tool's command line (--no-defaults must come first). The password is not
    /// among them: it travels in MYSQL_PWD (<see cref="Environment(string)"/>), so it never shows in a process list.
    /// </summary>
    public static List<string> ConnectionArguments(string connectionString)
    {
        var cs = new MySqlConnectionStringBuilder(connectionString);
        return
        [
            "--no-defaults", // no ~/.my.cnf of whoever runs the service changes what is dumped or where it goes
            $"--host={(string.IsNullOrEmpty(cs.Server) ? "localhost" : cs.Server)}",
            $"--port={cs.Port}",
            $"--user={cs.UserID}",
            "--protocol=tcp",
        ];
    }

    public static Dictionary<string, string> Environment(string connectionString)
    {
        var password = new MySqlConnectionStringBuilder(connectionString).Password;
        return string.IsNullOrEmpty(password) ? [] : new Dictionary<string, string> { ["MYSQL_PWD"] = password };
    }
}
