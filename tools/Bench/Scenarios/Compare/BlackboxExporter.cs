using ControlPlane.Testing;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// Prometheus blackbox_exporter (Debian's prometheus-blackbox-exporter, 0.23) on a free loopback port, with one
/// module "http_2xx": a GET that passes on a 2xx, over IPv4, with the timeout our probes have.
/// </summary>
public sealed class BlackboxExporter : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly string _folder;

    private BlackboxExporter(PeerProcess process, string folder, string url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public string Url { get; }

    public PeerProcess Process => _process;

    public static async Task<BlackboxExporter> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var program = await PeerPackage.EnsureAsync("/usr/bin/prometheus-blackbox-exporter", "prometheus-blackbox-exporter", cancellationToken);
        var folder = Directory.CreateTempSubdirectory("cp-bench-blackbox-").FullName;
        var config = Path.Combine(folder, "blackbox.yml");
        await File.WriteAllTextAsync(config, $"""
            modules:
              http_2xx:
                prober: http
                timeout: {(int)timeout.TotalMilliseconds}ms
                http:
                  preferred_ip_protocol: ip4
                  ip_protocol_fallback: false
            """, cancellationToken);
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var process = PeerProcess.Start(program, [$"--config.file={config}", $"--web.listen-address={url["http://".Length..]}", "--log.level=warn"]);
        var exporter = new BlackboxExporter(process, folder, url);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
            await process.WaitUntilAsync(async () => (await http.GetAsync("/-/healthy", cancellationToken)).IsSuccessStatusCode,
                TimeSpan.FromSeconds(30), cancellationToken);
            return exporter;
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
