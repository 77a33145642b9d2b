using ControlPlane.ServiceDefaults.Database;

namespace ControlPlane.Registry.Data;

internal sealed class SqliteRegistryDesignFactory() : DesignTimeFactory<SqliteRegistryDbContext>(DatabaseProvider.Sqlite, RegistryDbContext.Owner);

internal sealed class PostgresRegistryDesignFactory() : DesignTimeFactory<PostgresRegistryDbContext>(DatabaseProvider.PostgreSql, RegistryDbContext.Owner);

internal sealed class MySqlRegistryDesignFactory() : DesignTimeFactory<MySqlRegistryDbContext>(DatabaseProvider.MySql, RegistryDbContext.Owner);
