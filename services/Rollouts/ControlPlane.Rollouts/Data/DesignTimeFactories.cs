using ControlPlane.ServiceDefaults.Database;

namespace ControlPlane.Rollouts.Data;

internal sealed class SqliteRolloutsDesignFactory() : DesignTimeFactory<SqliteRolloutsDbContext>(DatabaseProvider.Sqlite, RolloutsDbContext.Owner);

internal sealed class PostgresRolloutsDesignFactory() : DesignTimeFactory<PostgresRolloutsDbContext>(DatabaseProvider.PostgreSql, RolloutsDbContext.Owner);

internal sealed class MySqlRolloutsDesignFactory() : DesignTimeFactory<MySqlRolloutsDbContext>(DatabaseProvider.MySql, RolloutsDbContext.Owner);
