using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace ControlPlane.SystemTests;

/// <summary>A channel as a client of a replicated service should have it: UNAVAILABLE is retried with back-off.</summary>
public static class ReplicatedChannel
{
    public static GrpcChannel For(string url) => TestCredentials.Channel(url, options: new GrpcChannelOptions { ServiceConfig = RetryUnavailable() });

    private static ServiceConfig RetryUnavailable() => new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 4,
                    InitialBackoff = TimeSpan.FromMilliseconds(100),
                    MaxBackoff = TimeSpan.FromSeconds(1),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };
}
