using System.Collections.Concurrent;
using ControlPlane.Backups.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Finds pg_dump and pg_restore: in Backups:PgBinPath when set (and only there), else in the Debian folder of
/// PostgreSQL 15, else on the PATH. A missing tool fails the operation with where it was looked for.
/// </summary>
public sealed class PgTools(IOptions<BackupsOptions> options)
{
    public const string DebianFolder = "/usr/lib/postgresql/15/bin";

    private readonly ConcurrentDictionary<string, string> _versions = new();

    public string Find(string tool)
    {
        var configured = options.Value.PgBinPath;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.Combine(configured, tool);
            return File.Exists(path) ? path
                : throw new BackupFailedException($"{tool} not found in {configured} (Backups:PgBinPath)");
        }
        var candidates = new[] { DebianFolder }
            .Concat((System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(folder => Path.Combine(folder, tool));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new BackupFailedException($"{tool} not found in {DebianFolder} or on the PATH: install postgresql-client or set Backups:PgBinPath");
    }

    /// <summary>e.g. "15.18" for pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1).</summary>
    public async Task<string> VersionAsync(string tool, CancellationToken cancellationToken)
    {
        var path = Find(tool);
        if (_versions.TryGetValue(path, out var known))
        {
            return known;
        }
        using var output = new MemoryStream();
        var result = await ToolProcess.RunAsync(path, ["--version"], new Dictionary<string, string>(), null, output, null, cancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim();
        var version = result.ExitCode == 0 ? text.Split(' ').ElementAtOrDefault(2) ?? text : "unknown";
        return _versions[path] = version;
    }

    public async Task<int> MajorVersionAsync(string tool, CancellationToken cancellationToken) =>
        int.TryParse((await VersionAsync(tool, cancellationToken)).Split('.')[0], out var major) ? major : 0;

    /// <summary>libpq's environment for a connection string: the password never shows on a command line.</summary>
    public static Dictionary<string, string> Environment(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = cs.Host ?? "localhost",
            ["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDATABASE"] = cs.Database ?? cs.Username ?? "postgres",
            ["PGAPPNAME"] = "controlplane-backups",
            ["PGCONNECT_TIMEOUT"] = "10",
            ["PGSSLMODE"] = cs.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
        };
        if (cs.Username is { Length: > 0 } user)
        {
            env["PGUSER"] = user;
        }
        if (cs.Password is { Length: > 0 } password)
        {
            env["PGPASSWORD"] = password;
        }
        return env;
    }
}
