using Npgsql;

namespace ControlPlane.Bench.Scenarios;

/// <summary>A PostgreSQL database of the bench's own, created from an admin connection and dropped at dispose.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private ScratchDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var database = new ScratchDatabase(adminConnectionString, $"cp_bench_{Guid.NewGuid():N}"[..24]);
        await database.ExecuteAsync($"CREATE DATABASE \"{database._name}\"", cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
