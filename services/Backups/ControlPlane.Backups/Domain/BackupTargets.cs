using ControlPlane.Backups.Engines;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Domain;

/// <summary>The databases this service may read and write: its own ("controlplane") and the configured targets.</summary>
public sealed class BackupTargets(IOptions<BackupsOptions> options, ServiceMode mode, PostgresEngine postgres, MySqlEngine mysql, SqliteEngine sqlite)
{
    public static string Normalize(string name) => name.Length == 0 ? BackupsOptions.OwnTarget : name;

    public IEnumerable<string> Names => new[] { BackupsOptions.OwnTarget }.Concat(options.Value.Targets.Keys.Order(StringComparer.Ordinal));

    public DatabaseTarget? Find(string name)
    {
        name = Normalize(name);
        if (name == BackupsOptions.OwnTarget)
        {
            return new DatabaseTarget(name, mode.DatabaseProvider, mode.DatabaseConnectionString);
        }
        return options.Value.Targets.TryGetValue(name, out var target)
            ? new DatabaseTarget(name, DatabaseProviders.Detect(target.ConnectionString), target.ConnectionString)
            : null;
    }

    /// <summary>The target, or InvalidArgument on <paramref name="field"/> listing the configured ones.</summary>
    public DatabaseTarget Require(string name, string field)
    {
        var target = Find(name);
        if (target is null)
        {
            RpcErrors.ThrowInvalidArgument(field, $"'{name}' is not a configured target database (configured: {string.Join(", ", Names)})");
        }
        return target;
    }

    public IDatabaseEngine EngineFor(DatabaseTarget target) => target.Provider switch
    {
        DatabaseProvider.PostgreSql => postgres,
        DatabaseProvider.MySql => mysql,
        _ => sqlite,
    };
}
