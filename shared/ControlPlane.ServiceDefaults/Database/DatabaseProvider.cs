namespace ControlPlane.ServiceDefaults.Database;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseProviders
{
    /// <summary>Tells the provider from the connection string's keys (PostgreSQL names a Host, SQLite a Data Source).</summary>
    public static DatabaseProvider Detect(string connectionString)
    {
        var keys = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)[0].Trim().ToLowerInvariant())
            .ToHashSet();
        if (keys.Contains("host") || keys.Contains("server"))
        {
            return DatabaseProvider.PostgreSql;
        }
        if (keys.Contains("data source") || keys.Contains("datasource") || keys.Contains("filename"))
        {
            return DatabaseProvider.Sqlite;
        }
        throw new InvalidOperationException(
            "ConnectionStrings:ControlPlane is neither a PostgreSQL (Host=...) nor a SQLite (Data Source=...) connection string.");
    }
}
