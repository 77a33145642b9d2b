using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.ServiceDefaults.Database;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.ServiceDefaults.Hosting;

/// <summary>
/// What the process runs on, decided once at start from configuration (DESIGN §2).
/// Invalid combinations throw <see cref="InvalidOperationException"/> with a message an operator can act on.
/// </summary>
public sealed record ServiceMode(
    bool HighAvailability,
    DatabaseProvider DatabaseProvider,
    string DatabaseConnectionString,
    string? RabbitMqConnectionString,
    string? RedisConnectionString,
    MemcachedEndpoint? Memcached = null)
{
    public CacheKind Cache => RedisConnectionString is not null ? CacheKind.Redis
        : Memcached is not null ? CacheKind.Memcached
        : HighAvailability ? CacheKind.None
        : CacheKind.Memory;

    public const string DefaultSqliteConnectionString = "Data Source=./data/controlplane.db";

    public static ServiceMode FromConfiguration(IConfiguration configuration)
    {
        var ha = configuration.GetValue<bool>($"{ControlPlaneOptions.SectionName}:HighAvailability");
        var database = Blank(configuration.GetConnectionString("ControlPlane"));
        var rabbit = Blank(configuration.GetConnectionString("RabbitMq"));
        var redis = Blank(configuration.GetConnectionString("Redis"));
        var memcached = Blank(configuration.GetConnectionString("Memcached"));
        if (redis is not null && memcached is not null)
        {
            // Two caches would each hold entries the other's invalidations never reach: refuse rather than pick one.
            throw new InvalidOperationException(
                "Both ConnectionStrings:Redis and ConnectionStrings:Memcached are set: the shared cache is one or the other. " +
                "Remove one of them.");
        }

        if (ha && database is null)
        {
            throw new InvalidOperationException(
                "ControlPlane:HighAvailability=true needs a shared database: set ConnectionStrings:ControlPlane " +
                "(env ConnectionStrings__ControlPlane) to a PostgreSQL (Host=...) or MySQL/MariaDB (Server=...) connection string.");
        }
        database ??= DefaultSqliteConnectionString;
        var provider = DatabaseProviders.Detect(database);
        if (ha && provider == DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException(
                "ControlPlane:HighAvailability=true cannot run on SQLite: replicas cannot share a SQLite file. " +
                "Point ConnectionStrings:ControlPlane at PostgreSQL or MySQL/MariaDB, or set ControlPlane:HighAvailability=false.");
        }
        if (ha && rabbit is null)
        {
            throw new InvalidOperationException(
                "ControlPlane:HighAvailability=true needs RabbitMQ for the bus: set ConnectionStrings:RabbitMq " +
                "(e.g. amqp://user:password@host:5672/).");
        }
        return new ServiceMode(ha, provider, database, rabbit, redis, memcached is null ? null : MemcachedEndpoint.Parse(memcached));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
