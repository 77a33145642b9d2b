using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.Registry.Tests;

public class ServiceModeTests
{
    private static ServiceMode Mode(params (string Key, string Value)[] settings) =>
        ServiceMode.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void TheDefaultIsSingleInstanceOnSqlite()
    {
        var mode = Mode();
        Assert.False(mode.HighAvailability);
        Assert.Equal(DatabaseProvider.Sqlite, mode.DatabaseProvider);
        Assert.Null(mode.RabbitMqConnectionString);
    }

    [Fact]
    public void HighAvailabilityOnSqliteIsRefusedWithTheReason()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Mode(
            ("ControlPlane:HighAvailability", "true"),
            ("ConnectionStrings:ControlPlane", "Data Source=x.db"),
            ("ConnectionStrings:RabbitMq", "amqp://guest:guest@localhost/")));
        Assert.Contains("cannot run on SQLite", ex.Message);
    }

    [Fact]
    public void HighAvailabilityNeedsPostgresAndRabbitMq()
    {
        Assert.Contains("needs a shared database", Assert.Throws<InvalidOperationException>(() => Mode(("ControlPlane:HighAvailability", "true"))).Message);
        Assert.Contains("needs RabbitMQ", Assert.Throws<InvalidOperationException>(() => Mode(
            ("ControlPlane:HighAvailability", "true"), ("ConnectionStrings:ControlPlane", "Host=db;Username=u"))).Message);
    }

    [Fact]
    public void RabbitMqAddressKeepsCredentialsApartFromTheHost()
    {
        var address = RabbitMqAddress.Parse("amqp://cp:s%40cret@10.0.0.5:5673/fleet");
        Assert.Equal(new RabbitMqAddress("10.0.0.5", 5673, "fleet", "cp", "s@cret"), address);
        Assert.Equal("/", RabbitMqAddress.Parse("amqp://localhost").VirtualHost);
    }
}
