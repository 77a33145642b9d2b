using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>Plain ADO.NET commands on a context's connection, enlisted in its current transaction.</summary>
public static class DbCommands
{
    public static async Task<DbCommand> CreateAsync(DbContext context, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var connection = context.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await context.Database.OpenConnectionAsync(cancellationToken);
        }
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<object?> ScalarAsync(DbContext context, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = await CreateAsync(context, sql, cancellationToken, parameters);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    public static async Task<int> ExecuteAsync(DbContext context, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = await CreateAsync(context, sql, cancellationToken, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The table an entity type is mapped to in this context's model.</summary>
    public static string TableOf<TEntity>(DbContext context) =>
        context.Model.FindEntityType(typeof(TEntity))?.GetTableName()
        ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not part of {context.GetType().Name}'s model.");
}
