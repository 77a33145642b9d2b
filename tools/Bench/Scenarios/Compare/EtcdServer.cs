using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Testing;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// A one-member etcd (Debian's etcd-server, 3.4) on loopback: free client and peer ports, a data directory of its
/// own in /tmp, removed at dispose with the process.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly string _dataDir;

    private EtcdServer(PeerProcess process, string dataDir, string url)
    {
        _process = process;
        _dataDir = dataDir;
        Url = url;
    }

    /// <summary>The client URL (gRPC and HTTP on one port).</summary>
    public string Url { get; }

    public PeerProcess Process => _process;

    public static async Task<EtcdServer> StartAsync(CancellationToken cancellationToken)
    {
        var etcd = await PeerPackage.EnsureAsync("/usr/bin/etcd", "etcd-server", cancellationToken);
        var dataDir = Directory.CreateTempSubdirectory("cp-bench-etcd-").FullName;
        var client = $"http://127.0.0.1:{FreePorts.Next()}";
        var peer = $"http://127.0.0.1:{FreePorts.Next()}";
        var process = PeerProcess.Start(etcd,
        [
            "--name", "bench", "--data-dir", dataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"bench={peer}", "--initial-cluster-state", "new",
            "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn",
        ]);
        var server = new EtcdServer(process, dataDir, client);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(client), Timeout = TimeSpan.FromSeconds(2) };
            await process.WaitUntilAsync(async () =>
                (await http.GetFromJsonAsync<JsonElement>("/health", cancellationToken)).GetProperty("health").GetString() == "true",
                TimeSpan.FromSeconds(30), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
