using System.Diagnostics;
using System.Text.RegularExpressions;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace ControlPlane.SystemTests;

/// <summary>deploy/nginx/controlplane-grpc.conf run by the real nginx in front of two Registry replicas.</summary>
public partial class NginxGrpcTests
{
    [Fact]
    public async Task CallsThroughNginxKeepSucceedingWhenAReplicaIsKilled()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var replicas = Enumerable.Range(1, 2).Select(i => ServiceProcess.Start("ControlPlane.Registry.Host", new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ControlPlane__InstanceId"] = $"registry-{i}",
            ["ConnectionStrings__ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = vhost.ConnectionString,
        })).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            await using var nginx = await Nginx.StartAsync(replicas.Select(r => new Uri(r.GrpcUrl).Authority).ToList());
            using var channel = GrpcChannel.ForAddress(nginx.Url, new GrpcChannelOptions { ServiceConfig = RetryUnavailable() });
            var client = new Api.V1.Registry.RegistryClient(channel);

            var failures = new List<string>();
            var calls = 0;
            for (var i = 0; i < 300; i++)
            {
                if (i == 100)
                {
                    await replicas[0].KillAsync();
                }
                try
                {
                    await client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = $"app-{i % 10}", DesiredVersion = $"{i}" }, RequestId = $"upsert-{i}" });
                    var app = await client.GetAppAsync(new GetAppRequest { Name = $"app-{i % 10}" });
                    Assert.Equal($"{i}", app.DesiredVersion);
                    calls += 2;
                }
                catch (RpcException ex)
                {
                    failures.Add($"call {i}: {ex.StatusCode} {ex.Status.Detail}");
                }
            }

            Assert.Empty(failures);
            Assert.Equal(600, calls);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    /// <summary>The retry policy a client of a replicated service should have: UNAVAILABLE is retried with back-off.</summary>
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

    /// <summary>The real nginx with deploy/nginx/controlplane-grpc.conf, its Registry servers pointed at the test's replicas.</summary>
    private sealed partial class Nginx : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;

        private Nginx(Process process, string folder, string url)
        {
            _process = process;
            _folder = folder;
            Url = url;
        }

        public string Url { get; }

        public static async Task<Nginx> StartAsync(IReadOnlyList<string> registryServers)
        {
            var folder = Directory.CreateTempSubdirectory("cp-nginx-lb-").FullName;
            var port = FreePorts.Next();
            var config = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "nginx", "controlplane-grpc.conf"));
            // The Registry upstream gets the test's replicas; the other services are not running here.
            config = RegistryUpstream().Replace(config, m => m.Groups["head"].Value
                + string.Concat(registryServers.Select(s => $"    server {s} max_fails=1 fail_timeout=10s;\n")));
            config = ServerLine().Replace(config, "    server 127.0.0.1:9 down;");
            config = config.Replace("listen 8081 http2;", $"listen 127.0.0.1:{port} http2;");
            await File.WriteAllTextAsync(Path.Combine(folder, "controlplane-grpc.conf"), config);
            var main = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(main, $$"""
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{folder}}/body;
                    include {{folder}}/controlplane-grpc.conf;
                }
                """);
            var start = new ProcessStartInfo("/usr/sbin/nginx") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "-p", folder, "-c", main, "-g", "daemon off;" })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start)!;
            var nginx = new Nginx(process, folder, $"http://127.0.0.1:{port}");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!await ListeningAsync(port))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"nginx did not start: {await process.StandardError.ReadToEndAsync()}");
                }
                await Task.Delay(50);
            }
            return nginx;
        }

        private static async Task<bool> ListeningAsync(int port)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        [GeneratedRegex(@"(?<head>upstream controlplane_registry \{\n    least_conn;\n)(    server [^\n]*\n)+")]
        private static partial Regex RegistryUpstream();

        [GeneratedRegex(@"    server [a-z]+-[0-9]:8081 [^\n]*;")]
        private static partial Regex ServerLine();
    }
}
