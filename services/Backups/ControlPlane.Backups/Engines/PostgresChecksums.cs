using ControlPlane.Api.V1;
using Npgsql;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Row count and checksum of every user table, computed by the server inside the caller's transaction (so in the
/// dump's snapshot). The checksum sums a 64-bit hash of every row: independent of row order (a restore may store
/// rows elsewhere), needs no primary key, and streams (no table is held in memory). The row hash is the server's
/// binary hash_record_extended ("h:"), about three times cheaper than hashing the row's text; a table with a column
/// type that has no hash function (json, point…) falls back to the first 64 bits of md5(row::text) ("m:"). The
/// choice depends only on the column types, so a source and its restored copy always hash alike. Text output
/// settings are pinned so a row's text is the same in both.
/// </summary>
public static class PostgresChecksums
{
    public const string Algorithm = "pg-row-hash-sum-v1";

    private const string Settings = """
        SET LOCAL TimeZone = 'UTC';
        SET LOCAL DateStyle = 'ISO, YMD';
        SET LOCAL IntervalStyle = 'postgres';
        SET LOCAL extra_float_digits = 1;
        SET LOCAL bytea_output = 'hex';
        """;

    // Ordinary tables outside the system schemas, except those an extension owns (pg_dump leaves their data out).
    private const string ListTables = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """;

    public static async Task<List<(string Schema, string Table)>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using (var settings = new NpgsqlCommand(Settings, connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        var tables = new List<(string, string)>();
        await using var list = new NpgsqlCommand(ListTables, connection, transaction);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }
        return tables;
    }

    public static async Task<TableManifest> OfTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string schema, string table, CancellationToken cancellationToken)
    {
        var name = $"{schema}.{table}";
        var relation = $"{Quote(schema)}.{Quote(table)}";
        await transaction.SaveAsync("checksum", cancellationToken);
        try
        {
            var result = await SumAsync(connection, transaction, name, relation, "hash_record_extended(t, 0)", "h:", cancellationToken);
            await transaction.ReleaseAsync("checksum", cancellationToken);
            return result;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedFunction)
        {
            await transaction.RollbackAsync("checksum", cancellationToken);
            return await SumAsync(connection, transaction, name, relation, "('x' || left(md5(t::text), 16))::bit(64)::bigint", "m:", cancellationToken);
        }
    }

    private static async Task<TableManifest> SumAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string name, string relation, string rowHash, string prefix, CancellationToken cancellationToken)
    {
        var sql = $"SELECT count(*), coalesce(sum({rowHash}), 0)::text FROM ONLY {relation} AS t";
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TableManifest { Name = name, RowCount = reader.GetInt64(0), Checksum = prefix + reader.GetString(1) };
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
