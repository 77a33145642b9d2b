namespace ControlPlane.Deploy.Tests;

public class ConfigurationKeysTests
{
    [Theory]
    [InlineData("ControlPlane__HighAvailability", true)]
    [InlineData("Backups__Targets__fleet__ConnectionString", true)]
    [InlineData("Agent__Supervise__Arguments__3", true)]
    [InlineData("HealthProbe__AllowedNetworks__0", true)]
    [InlineData("ConnectionStrings__RabbitMq", true)]
    [InlineData("Access__Keys__admin__Sha256", true)]
    [InlineData("Access__ClientToken", true)]
    [InlineData("ControlPlane__Tls__CaFile", true)]
    [InlineData("Access__Keys__admin__Token", false)]
    [InlineData("ControlPlane__Tls__Password", false)]
    [InlineData("Registry__HeartbeatInterval", false)]
    [InlineData("Agent__Supervise__Arguments__x", false)]
    [InlineData("ConnectionStrings__Postgres", false)]
    [InlineData("Unknown__Key", false)]
    public void OnlyKeysAnOptionsClassBindsCountAsRead(string key, bool read) => Assert.Equal(read, ConfigurationKeys.IsRead(key));
}
