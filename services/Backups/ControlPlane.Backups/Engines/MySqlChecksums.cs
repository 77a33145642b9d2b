using ControlPlane.Api.V1;
using MySql.Data.MySqlClient;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Row count and checksum of every base table of a MySQL/MariaDB database, computed by the server inside the
/// caller's transaction (so in the dump's snapshot). Like PostgreSQL's, the checksum sums a 64-bit hash of every
/// row (the first 64 bits of MD5 over the row's columns, each QUOTE()d so that NULL and '' and the column borders
/// stay apart): independent of row order, needs no primary key, and streams.
/// </summary>
public static class MySqlChecksums
{
    public const string Algorithm = "mysql-row-md5-sum-v1";

    public static async Task<List<string>> ListAsync(MySqlConnection connection, string kind, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = new MySqlCommand(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = @kind ORDER BY TABLE_NAME",
            connection);
        command.Parameters.AddWithValue("@kind", kind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    public static async Task<TableManifest> OfTableAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        await using (var list = new MySqlCommand(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION",
            connection))
        {
            list.Parameters.AddWithValue("@table", table);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add($"QUOTE({Quote(reader.GetString(0))})");
            }
        }
        var rowHash = $"CAST(CONV(LEFT(MD5(CONCAT_WS(',', {string.Join(", ", columns)})), 16), 16, 10) AS DECIMAL(20, 0))";
        await using var sum = new MySqlCommand(
            $"SELECT COUNT(*), CAST(COALESCE(SUM({rowHash}), 0) AS CHAR) FROM {Quote(table)}", connection) { CommandTimeout = 0 };
        await using var result = await sum.ExecuteReaderAsync(cancellationToken);
        await result.ReadAsync(cancellationToken);
        return new TableManifest { Name = table, RowCount = result.GetInt64(0), Checksum = "m:" + result.GetString(1) };
    }

    public static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
}
