namespace ControlPlane.ServiceDefaults.Database;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    MySql,
}

public static class DatabaseProviders
{
    /// <summary>
    /// Tells the provider from the connection string's keys, each database's own usual one: PostgreSQL names a Host
    /// (Npgsql), MySQL and MariaDB a Server (Connector/NET), SQLite a Data Source.
    /// </summary>
    public static DatabaseProvider Detect(string connectionString)
    {
        var keys = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet();
        if (keys.Contains("host"))
        {
            return DatabaseProvider.PostgreSql;
        }
        if (keys.Contains("server"))
        {
            return DatabaseProvider.MySql;
        }
        if (keys.Contains("data source") || keys.Contains("datasource") || keys.Contains("filename"))
        {
            return DatabaseProvider.Sqlite;
        }
        throw new InvalidOperationException(
            "ConnectionStrings:ControlPlane is neither a PostgreSQL (Host=...), a MySQL/MariaDB (Server=...) nor a SQLite (Data Source=...) connection string.");
    }

    /// <summary>The provider's name as /api/health and cpctl doctor report it.</summary>
    public static string Name(this DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.PostgreSql => "postgresql",
        DatabaseProvider.MySql => "mysql",
        _ => "sqlite",
    };
}
