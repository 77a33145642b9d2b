using ControlPlane.Testing;
using Npgsql;

namespace ControlPlane.Backups.Tests;

/// <summary>
/// A PostgreSQL database with what backups get wrong: several schemas, foreign keys, a table without a primary
/// key, nulls, unicode, bytea, jsonb, arrays, numeric, timestamps — thousands of rows.
/// </summary>
public static class SampleDatabase
{
    public static readonly string[] Tables = ["public.users", "public.documents", "public.events", "audit.log"];

    public static async Task FillAsync(PostgresDatabase database, int rows = 3000)
    {
        await ExecuteAsync(database, $"""
            CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text, bio text, score double precision,
                                created timestamptz NOT NULL);
            INSERT INTO users (name, email, bio, score, created)
            SELECT 'Jürgen ☃ 日本語 ' || i,
                   CASE WHEN i % 7 = 0 THEN NULL ELSE 'user' || i || '@example.com' END,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE repeat('Ünïcødé 😀 ', i % 13) || E'line\nbreak\ttab "quote" \\ back' END,
                   CASE WHEN i % 3 = 0 THEN NULL ELSE i / 7.0 END,
                   timestamptz '2024-01-01 00:00:00+00' + i * interval '37 minutes'
            FROM generate_series(1, {rows}) AS i;

            CREATE TABLE documents (id bigint PRIMARY KEY, owner_id int NOT NULL REFERENCES users(id), body jsonb, payload bytea,
                                    tags text[], amount numeric(14, 4));
            INSERT INTO documents
            SELECT i, 1 + i % {rows},
                   CASE WHEN i % 11 = 0 THEN NULL ELSE jsonb_build_object('i', i, 'name', 'dashboard ß ' || i,
                        'panels', jsonb_build_array(i, NULL, true, 'ünïcødé'), 'nested', jsonb_build_object('x', i * 1.5)) END,
                   CASE WHEN i % 4 = 0 THEN NULL ELSE decode(repeat(md5(i::text), 1 + i % 9), 'hex') || '\x00ff00'::bytea END,
                   ARRAY['a' || i, NULL, 'ü'],
                   i * 3.1415
            FROM generate_series(1, {rows * 2}) AS i;
            CREATE INDEX documents_owner ON documents (owner_id);

            CREATE TABLE events (at timestamptz, kind text, data json, amount numeric);
            INSERT INTO events
            SELECT now() - i * interval '1 second', 'kind-' || (i % 3), CASE WHEN i % 2 = 0 THEN NULL ELSE json_build_object('k', json_build_array(1, 2)) END, i
            FROM generate_series(1, {rows}) AS i;
            INSERT INTO events SELECT * FROM events WHERE amount <= 10;

            CREATE SCHEMA audit;
            CREATE TABLE audit.log (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), entry text NOT NULL, at date);
            INSERT INTO audit.log (entry, at) SELECT 'entry ' || i, date '2025-01-01' + i FROM generate_series(1, {rows / 3}) AS i;
            CREATE VIEW recent_documents AS SELECT id, body FROM documents WHERE id > 10;
            """);
    }

    /// <summary>Every row of every sample table, as one digest per table: equal digests, equal data.</summary>
    public static async Task<Dictionary<string, string>> ContentAsync(string connectionString)
    {
        var content = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {table} AS t", connection);
            content[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return content;
    }

    public static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
