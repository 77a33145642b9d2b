using MySql.Data.MySqlClient;

namespace ControlPlane.Testing;

/// <summary>A fresh, empty database on the test MariaDB server, dropped at dispose.</summary>
public sealed class MariaDbDatabase : IAsyncDisposable
{
    private MariaDbDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<MariaDbDatabase> CreateAsync()
    {
        var name = $"cp_test_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync(BackingServices.MariaDb, $"CREATE DATABASE `{name}`");
        var builder = new MySqlConnectionStringBuilder(BackingServices.MariaDb) { Database = name };
        return new MariaDbDatabase(name, builder.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections of this process would hold the database open; the server drops it regardless.
        MySqlConnection.ClearAllPools();
        await ExecuteAsync(BackingServices.MariaDb, $"DROP DATABASE IF EXISTS `{Name}`");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var admin = new MySqlConnection(connectionString);
        await admin.OpenAsync();
        await using var command = new MySqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
