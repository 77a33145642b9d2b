using System.Net.Http.Json;
using ControlPlane.Testing;

namespace ControlPlane.DemoApp.Tests;

public class ConfigurationTests
{
    [Theory]
    [InlineData("DEMOAPP_VERSION", "DEMOAPP_INSTANCE_ID", "DEMOAPP_PORT")]
    [InlineData("DemoApp__Version", "DemoApp__InstanceId", "DemoApp__Port")]
    public async Task EnvironmentVariablesGiveTheVersionInstanceIdAndPort(string version, string instanceId, string port)
    {
        var freePort = FreePorts.Next();
        await using var app = DemoAppProcess.Start(
            [],
            new Dictionary<string, string> { [version] = "4.2", [instanceId] = "env-demo", [port] = $"{freePort}" },
            freePort);
        await app.WaitUntilLiveAsync();

        Assert.Equal(new ApiHealth("4.2", "demo", "ok", "env-demo"), await app.Http.GetFromJsonAsync<ApiHealth>("/api/health"));
    }
}
