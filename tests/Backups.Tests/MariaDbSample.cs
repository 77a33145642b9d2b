using ControlPlane.Testing;
using MySql.Data.MySqlClient;

namespace ControlPlane.Backups.Tests;

/// <summary>
/// A MariaDB database with what dumps get wrong: foreign keys, a table without a primary key, nulls, unicode
/// (4-byte too), binary, JSON, decimals, microsecond datetimes, a view — thousands of rows.
/// </summary>
public static class MariaDbSample
{
    public static readonly string[] Tables = ["documents", "events", "users"];

    public static async Task FillAsync(MariaDbDatabase database, int rows = 3000)
    {
        await ExecuteAsync(database.ConnectionString, $"""
            SET SESSION max_recursive_iterations = 100000;
            CREATE TEMPORARY TABLE numbers (i INT PRIMARY KEY);
            INSERT INTO numbers WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows * 2}) SELECT i FROM s;

            CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL, email VARCHAR(200) NULL,
                                bio TEXT NULL, score DOUBLE NULL, created DATETIME(6) NOT NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
            INSERT INTO users (name, email, bio, score, created)
            SELECT CONCAT('Jürgen ☃ 日本語 😀 ', i),
                   IF(i % 7 = 0, NULL, CONCAT('user', i, '@example.com')),
                   IF(i % 5 = 0, NULL, CONCAT(REPEAT('Ünïcødé ', i % 13), 'line\nbreak\ttab "quote" \\ back \'')),
                   IF(i % 3 = 0, NULL, i / 7.0e0),
                   TIMESTAMP('2024-01-01 00:00:00.123456') + INTERVAL (i * 37) MINUTE
            FROM numbers WHERE i <= {rows};

            CREATE TABLE documents (id BIGINT PRIMARY KEY, owner_id INT NOT NULL, body JSON NULL, payload BLOB NULL,
                                    amount DECIMAL(14, 4) NOT NULL, FOREIGN KEY (owner_id) REFERENCES users (id)) CHARACTER SET utf8mb4;
            INSERT INTO documents
            SELECT i, 1 + i % {rows},
                   IF(i % 11 = 0, NULL, JSON_OBJECT('i', i, 'name', CONCAT('dashboard ß ', i), 'panels', JSON_ARRAY(i, NULL, TRUE, 'ü'))),
                   IF(i % 4 = 0, NULL, CONCAT(UNHEX(REPEAT(MD5(i), 1 + i % 9)), 0x00FF00)),
                   i * 3.1415
            FROM numbers WHERE i <= {rows * 2};

            CREATE TABLE events (at DATETIME(6) NULL, kind VARCHAR(20) NULL, amount DECIMAL(30, 10) NULL) CHARACTER SET utf8mb4;
            INSERT INTO events SELECT TIMESTAMP('2025-06-01 12:00:00') - INTERVAL i SECOND, CONCAT('kind-', i % 3), i / 3 FROM numbers WHERE i <= {rows};
            INSERT INTO events SELECT * FROM events WHERE amount <= 10;
            INSERT INTO events VALUES (NULL, NULL, NULL), (NULL, '', NULL);

            CREATE VIEW recent_documents AS SELECT id, body FROM documents WHERE id > 10;
            """);
    }

    /// <summary>Every row of every sample table, as one digest per table: equal digests, equal data.</summary>
    public static async Task<Dictionary<string, string>> ContentAsync(string connectionString)
    {
        var content = new Dictionary<string, string>();
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var setting = new MySqlCommand("SET SESSION group_concat_max_len = 1073741824", connection))
        {
            await setting.ExecuteNonQueryAsync();
        }
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(connection, table);
            var row = $"CONCAT_WS(',', {string.Join(", ", columns.Select(c => $"QUOTE(`{c}`)"))})";
            await using var command = new MySqlCommand(
                $"SELECT CONCAT(COUNT(*), ':', COALESCE(MD5(GROUP_CONCAT({row} ORDER BY {row} SEPARATOR '\\n')), '')) FROM `{table}`", connection);
            content[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return content;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ColumnsAsync(MySqlConnection connection, string table)
    {
        var columns = new List<string>();
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }
}
