using ControlPlane.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.AllInOne.Demo;

/// <summary>
/// Creates the demo app (fast health checks, quick rollout defaults) and, once every instance is HEALTHY, tells the
/// user how to roll out a new version.
/// </summary>
internal sealed class DemoFleetSetup(
    IOptions<DemoFleetOptions> options,
    RegistryClient registry,
    HealthProbeClient health,
    IOptions<ServiceDefaults.Hosting.ControlPlaneOptions> controlPlane,
    ILogger<DemoFleetSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        await RetryAsync(() => registry.UpsertAppAsync(new UpsertAppRequest { App = App(demo) }, cancellationToken: stoppingToken).ResponseAsync, stoppingToken);
        var ready = await RetryAsync(async () =>
        {
            var set = await health.GetReadySetAsync(new GetReadySetRequest { App = demo.App }, cancellationToken: stoppingToken);
            return set.Members.Count == demo.Instances ? set : throw new RpcException(new Status(StatusCode.Unavailable, "not all ready"));
        }, stoppingToken);
        Console.WriteLine(Banner(demo, ready));
    }

    private static App App(DemoFleetOptions demo) => new()
    {
        Name = demo.App,
        Description = "Demo fleet: DemoApp instances under Agents hosted by AllInOne",
        HealthCheck = new HealthCheckSpec
        {
            Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(800)),
            Rise = 2,
            Fall = 2,
        },
        // Quick enough to watch: each instance must stay healthy 3 s before the next one is updated.
        RolloutDefaults = new RolloutStrategy
        {
            MaxParallel = 1,
            MinHealthyTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
            HealthyDeadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(20)),
            AutoRevert = true,
        },
    };

    private string Banner(DemoFleetOptions demo, ReadySet ready)
    {
        var grpc = new Uri(controlPlane.Value.GrpcUrl);
        var target = $"{grpc.Host}:{grpc.Port}";
        var startRequest = $"{{\"app\":\"{demo.App}\",\"target\":{{\"version\":\"1.1.0\"}}}}";
        var instances = string.Join(", ", ready.Members.Select(m => $"{m.InstanceId} {m.Address}"));
        return $$"""

            Demo fleet ready: app "{{demo.App}}", {{demo.Instances}} instances at version {{ready.Members.FirstOrDefault()?.Version}}: {{instances}}
            Roll out a new version, one instance at a time behind health gates (in another terminal):
              dotnet run --project tools/Cpctl -- -a http://{{target}} rollout start {{demo.App}} --version 1.1.0 --watch
              grpcurl -plaintext -d '{{startRequest}}' {{target}} controlplane.v1.Rollouts/StartRollout
            Version {{demo.BrokenVersion}} never becomes ready: its rollout stops at the first instance and is rolled back.

            """;
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.NotFound && !stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug("Demo fleet not ready yet: {Reason}", ex.Status.Detail);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
        }
    }
}
