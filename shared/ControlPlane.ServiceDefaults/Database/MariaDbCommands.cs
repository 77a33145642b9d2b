using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPlane.ServiceDefaults.Database;

/// <summary>
/// Rewrites the two commands of the MySQL provider that MariaDB (10.6+) refuses, into forms both servers run alike.
/// <list type="bullet">
/// <item>The migration lock, <c>GET_LOCK('__EFMigrationsLock',-1)</c>: MySQL reads -1 as "wait forever", MariaDB
/// rejects a negative timeout and answers NULL (and otherwise an INT where the provider casts to a long). A day's
/// wait, its answer widened to a long, is the same lock: replicas that start together still migrate one at a time,
/// and a holder that dies releases it with its connection.</item>
/// <item><c>ExecuteDelete</c>'s <c>DELETE FROM `t` AS `a` WHERE …</c>: an alias in a single-table DELETE is MySQL
/// 8.0.16+ only; the multi-table form <c>DELETE `a` FROM `t` AS `a` WHERE …</c> means the same on both.</item>
/// </list>
/// </summary>
public sealed partial class MariaDbCommands : DbCommandInterceptor
{
    public static readonly MariaDbCommands Instance = new();

    private const string ProviderLock = "SELECT GET_LOCK('__EFMigrationsLock',-1)";
    private const string FiniteLock = "SELECT GET_LOCK('__EFMigrationsLock',86400)";

    [GeneratedRegex(@"^DELETE FROM (`[^`]+`) AS (`[^`]+`)")]
    private static partial Regex AliasedDelete();

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        var text = result.CommandText;
        if (text.TrimEnd().TrimEnd(';').Equals(ProviderLock, StringComparison.OrdinalIgnoreCase))
        {
            result.CommandText = FiniteLock;
        }
        else if (text.StartsWith("DELETE FROM ", StringComparison.Ordinal))
        {
            result.CommandText = AliasedDelete().Replace(text, "DELETE $2 FROM $1 AS $2", 1);
        }
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) =>
        Widen(command, result);

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Widen(command, result));

    private static object? Widen(DbCommand command, object? result) =>
        command.CommandText == FiniteLock && result is int answer ? (long)answer : result;
}
