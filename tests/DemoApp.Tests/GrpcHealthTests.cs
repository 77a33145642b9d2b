using ControlPlane.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ControlPlane.DemoApp.Tests;

public class GrpcHealthTests
{
    [Fact]
    public async Task GrpcHealthIsServingThenNotServingOnReadinessFault()
    {
        await using var app = await DemoAppProcess.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{app.GrpcPort}");
        var health = new Health.HealthClient(channel);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await StatusAsync(health));

        await app.SetFaultsAsync(new { readiness = "fail" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await StatusAsync(health));

        await app.SetFaultsAsync(new { readiness = "ok", database = "down" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await StatusAsync(health));

        await app.Http.DeleteAsync("/faults");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await StatusAsync(health));
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(Health.HealthClient health)
    {
        var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        return response.Status;
    }
}
