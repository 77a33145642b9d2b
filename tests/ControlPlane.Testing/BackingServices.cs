namespace ControlPlane.Testing;

/// <summary>
/// Where the real PostgreSQL, MariaDB, RabbitMQ, Redis and memcached started by scripts/dev-services listen (scripts/test exports
/// these variables). A test that needs one and finds it missing fails and says how to start them.
/// </summary>
public static class BackingServices
{
    public static string Postgres => Require("CP_TEST_POSTGRES");

    public static string MariaDb => Require("CP_TEST_MARIADB");

    public static string RabbitMq => Require("CP_TEST_RABBITMQ");

    public static string RabbitMqNode => Require("CP_TEST_RABBITMQ_NODE");

    public static string Redis => Require("CP_TEST_REDIS");

    /// <summary>The shared memcached (<c>127.0.0.1:PORT</c>); a test that stops or freezes one starts its own (<see cref="MemcachedProcess"/>).</summary>
    public static string Memcached => Require("CP_TEST_MEMCACHED");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: run the tests with scripts/test, or `eval \"$(scripts/dev-services start)\"` first.");
}
