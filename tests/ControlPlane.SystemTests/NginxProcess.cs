using System.Diagnostics;
using System.Text.RegularExpressions;
using ControlPlane.Testing;

namespace ControlPlane.SystemTests;

/// <summary>
/// The real nginx running deploy/nginx/controlplane-grpc.conf, its upstreams pointed at the test's replicas.
/// Disposing kills the nginx this object started and removes its folder.
/// </summary>
public sealed partial class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private NginxProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <param name="upstreams">Replica addresses (host:port) by service: "registry", "healthprobe", "rollouts", "backups".
    /// A service not given gets a server marked down.</param>
    /// <param name="port">Where nginx listens; chosen up front when the replicas must be told nginx's address.</param>
    public static async Task<NginxProcess> StartAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> upstreams, int? port = null)
    {
        var folder = Directory.CreateTempSubdirectory("cp-nginx-lb-").FullName;
        var listen = port ?? FreePorts.Next();
        var config = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "nginx", "controlplane-grpc.conf"));
        config = Upstream().Replace(config, m =>
        {
            var servers = upstreams.TryGetValue(m.Groups["name"].Value, out var found) && found.Count > 0
                ? found.Select(s => $"    server {s} max_fails=1 fail_timeout=10s;\n")
                : ["    server 127.0.0.1:9 down;\n"];
            return m.Groups["head"].Value + string.Concat(servers);
        });
        config = config.Replace("listen 8081 http2;", $"listen 127.0.0.1:{listen} http2;");
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
        var nginx = new NginxProcess(process, folder, listen);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await ListeningAsync(listen))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var errors = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {errors}");
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

    [GeneratedRegex(@"(?<head>upstream controlplane_(?<name>[a-z]+) \{\n    least_conn;\n)(    server [^\n]*\n)+")]
    private static partial Regex Upstream();
}
