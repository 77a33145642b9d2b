using ControlPlane.ServiceDefaults.Database;

namespace ControlPlane.HealthProbe.Data;

internal sealed class SqliteHealthProbeDesignFactory() : DesignTimeFactory<SqliteHealthProbeDbContext>(DatabaseProvider.Sqlite, HealthProbeDbContext.Owner);

internal sealed class PostgresHealthProbeDesignFactory() : DesignTimeFactory<PostgresHealthProbeDbContext>(DatabaseProvider.PostgreSql, HealthProbeDbContext.Owner);

internal sealed class MySqlHealthProbeDesignFactory() : DesignTimeFactory<MySqlHealthProbeDbContext>(DatabaseProvider.MySql, HealthProbeDbContext.Owner);
