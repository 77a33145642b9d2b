using ControlPlane.Api.V1;
using Npgsql;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Row count and checksum of every user table, computed by the server inside the caller's transaction (so in the
/// dump's snapshot). The checksum sums the first 64 bits of md5(row::text) over all rows: independent of row order
/// (a restore may store rows elsewhere), needs no primary key, and streams (no table is held in memory).
/// Output settings are pinned so a row's text is the same in the source and in the restored copy.
/// </summary>
public static class PostgresChecksums
{
    public const string Algorithm = "pg-row-md5-sum-v1";

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
        var sql = $"""
            SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text
            FROM ONLY {Quote(schema)}.{Quote(table)} AS t
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TableManifest { Name = $"{schema}.{table}", RowCount = reader.GetInt64(0), Checksum = reader.GetString(1) };
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
