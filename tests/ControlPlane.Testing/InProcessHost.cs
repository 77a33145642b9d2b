using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Testing;

/// <summary>
/// A service host composed as its Program.cs composes it, on real Kestrel ports, reached over a real gRPC
/// channel. Stopped and its folder removed at dispose.
/// </summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _ownedFolder;

    private InProcessHost(WebApplication app, string? ownedFolder, string httpUrl, string grpcUrl)
    {
        _app = app;
        _ownedFolder = ownedFolder;
        HttpUrl = httpUrl;
        GrpcUrl = grpcUrl;
        Channel = TestCredentials.Channel(grpcUrl);
        Http = TestCredentials.Http(httpUrl);
    }

    public string HttpUrl { get; }
    public string GrpcUrl { get; }
    public GrpcChannel Channel { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>A folder for a host's files (its SQLite database by default); a host removes only a folder it made itself.</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("cp-host-").FullName;

    public static async Task<InProcessHost> StartAsync(
        Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapServices,
        IDictionary<string, string?> settings,
        string? folder = null,
        string grpcScheme = "http")
    {
        var owned = folder is null;
        folder ??= NewFolder();
        var httpUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        // https for a TLS test; the HTTP port (readiness) stays plaintext.
        var grpcUrl = $"{grpcScheme}://127.0.0.1:{FreePorts.Next()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder, EnvironmentName = "Test" });
        var all = new Dictionary<string, string?>
        {
            ["ControlPlane:HttpUrl"] = httpUrl,
            ["ControlPlane:GrpcUrl"] = grpcUrl,
            ["ControlPlane:InstanceId"] = $"test-{Guid.NewGuid():N}"[..17],
            ["ConnectionStrings:ControlPlane"] = $"Data Source={Path.Combine(folder, "controlplane.db")}",
        };
        foreach (var (key, value) in TestCredentials.Settings)
        {
            all[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(all);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults("test");
        addServices(builder);
        builder.AddControlPlaneBus();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapServices(app);
        await app.StartAsync();
        var host = new InProcessHost(app, owned ? folder : null, httpUrl, grpcUrl);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout) => await Readiness.WaitAsync(Http, timeout);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownedFolder is null)
        {
            return;
        }
        try
        {
            Directory.Delete(_ownedFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing background task: the temp folder is cleaned by the OS.
        }
    }
}

public static class Readiness
{
    /// <summary>Polls /readyz until it answers 200.</summary>
    public static async Task WaitAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{http.BaseAddress} not ready within {timeout}: {last}");
    }
}
