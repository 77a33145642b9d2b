namespace ControlPlane.Testing;

/// <summary>
/// The trait of tests that stop a shared server (PostgreSQL, RabbitMQ, Redis): scripts/test runs them on their own,
/// after every other test, so no other test sees the outage.
/// </summary>
public static class Outage
{
    public const string Category = "Outage";
}
