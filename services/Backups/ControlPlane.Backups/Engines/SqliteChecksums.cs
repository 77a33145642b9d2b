using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Api.V1;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// Row count and checksum of every table of a SQLite file: per row the first 64 bits of SHA-256 over its values
/// (each tagged with its storage class), summed modulo 2^64 — independent of row order, like the PostgreSQL one.
/// </summary>
public static class SqliteChecksums
{
    public const string Algorithm = "sqlite-row-sha256-sum-v1";

    public static async Task<IReadOnlyList<TableManifest>> OfDatabaseAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }
        var result = new List<TableManifest>(tables.Count);
        foreach (var table in tables)
        {
            result.Add(await OfTableAsync(connection, table, cancellationToken));
        }
        return result;
    }

    private static async Task<TableManifest> OfTableAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ulong sum = 0;
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            sum = unchecked(sum + RowHash(reader, hash));
            rows++;
        }
        return new TableManifest { Name = $"main.{table}", RowCount = rows, Checksum = sum.ToString("x16", CultureInfo.InvariantCulture) };
    }

    private static ulong RowHash(SqliteDataReader reader, IncrementalHash hash)
    {
        Span<byte> number = stackalloc byte[8];
        for (var i = 0; i < reader.FieldCount; i++)
        {
            switch (reader.GetValue(i))
            {
                case DBNull:
                    hash.AppendData("N"u8);
                    break;
                case long integer:
                    hash.AppendData("I"u8);
                    BinaryPrimitives.WriteInt64LittleEndian(number, integer);
                    hash.AppendData(number);
                    break;
                case double real:
                    hash.AppendData("R"u8);
                    BinaryPrimitives.WriteDoubleLittleEndian(number, real);
                    hash.AppendData(number);
                    break;
                case string text:
                    AppendSized(hash, "T"u8, Encoding.UTF8.GetBytes(text));
                    break;
                case byte[] blob:
                    AppendSized(hash, "B"u8, blob);
                    break;
                case var other:
                    AppendSized(hash, "?"u8, Encoding.UTF8.GetBytes(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""));
                    break;
            }
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }

    private static void AppendSized(IncrementalHash hash, ReadOnlySpan<byte> tag, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, value.Length);
        hash.AppendData(tag);
        hash.AppendData(length);
        hash.AppendData(value);
    }
}
