using ControlPlane.Testing;
using Npgsql;

namespace ControlPlane.SystemTests;

/// <summary>Credentials worth hiding, so a leak into a span or a log line would be visible.</summary>
public static class TestSecrets
{
    public const string Password = "pw-7f3a9c-s3cret";

    /// <summary>A connection string to <paramref name="database"/> as a superuser whose password is <see cref="Password"/>.</summary>
    public static async Task<string> RoleAsync(PostgresDatabase database)
    {
        var role = $"cp_secret_{Guid.NewGuid():N}"[..20];
        await database.ScalarAsync<int>($"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{Password}'; SELECT 1");
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = Password }.ConnectionString;
    }

    /// <summary>The credentials part of the test broker's amqp:// URI ("user:password@").</summary>
    public static string RabbitMqCredentials => new Uri(BackingServices.RabbitMq).UserInfo + "@";
}
