using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>
/// Gives every MySQL/MariaDB connection READ COMMITTED, PostgreSQL's default, which the services' write paths are
/// reasoned for: a read after taking the revision lock sees what the writer before committed. InnoDB's default,
/// REPEATABLE READ, would answer it from the snapshot of the transaction's first read instead.
/// </summary>
public sealed class MySqlSession : DbConnectionInterceptor
{
    public static readonly MySqlSession Instance = new();

    private const string Setup = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Setup;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Setup;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
