using Npgsql;

namespace ControlPlane.Bench.Scenarios.Backups;

/// <summary>
/// A generated database of a given size, grown in batches by the server itself (INSERT … SELECT generate_series):
/// text, jsonb and bytea of a realistic mix of compressibility, plus an index, as a fleet's shared database has.
/// </summary>
public static class BenchDatabase
{
    private const int BatchRows = 200_000;

    public static async Task<long> CreateAsync(string adminConnectionString, string name, long targetBytes, CancellationToken cancellationToken)
    {
        await ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{name}\"", cancellationToken);
        var connectionString = On(adminConnectionString, name);
        await ExecuteAsync(connectionString, """
            CREATE TABLE dashboards (id bigint PRIMARY KEY, title text NOT NULL, body jsonb NOT NULL, thumbnail bytea, updated timestamptz NOT NULL);
            CREATE INDEX dashboards_updated ON dashboards (updated);
            """, cancellationToken);
        long rows = 0;
        long size;
        while ((size = await SizeAsync(connectionString, cancellationToken)) < targetBytes)
        {
            await ExecuteAsync(connectionString, $"""
                INSERT INTO dashboards
                SELECT i, 'Dashboard ' || i || ' ' || md5(i::text),
                       jsonb_build_object('panels', jsonb_build_array(
                           jsonb_build_object('type', 'graph', 'title', 'CPU ' || i, 'query', 'rate(node_cpu_seconds_total[5m]) on ' || md5(i::text)),
                           jsonb_build_object('type', 'stat', 'title', 'Memory', 'thresholds', jsonb_build_array(i % 100, i % 7, i % 13))),
                           'version', i % 50, 'tags', jsonb_build_array('prod', 'team-' || (i % 20))),
                       decode(md5(i::text) || md5((i * 7)::text) || md5((i * 13)::text), 'hex'),
                       timestamptz '2024-01-01' + i * interval '1 second'
                FROM generate_series({rows + 1}, {rows + BatchRows}) AS i
                """, cancellationToken);
            rows += BatchRows;
        }
        await ExecuteAsync(connectionString, "VACUUM ANALYZE dashboards", cancellationToken);
        return size;
    }

    public static string On(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    public static async Task<long> SizeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
