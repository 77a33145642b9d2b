using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// The probed side of the prober benchmark, run as its own process so its CPU is not counted as the prober's:
/// one Kestrel process answering /livez, /readyz and /api/health for any target path /t/{id}/…, on several
/// loopback ports (printed as "ports: p1,p2,…").
/// </summary>
public sealed class ServeTargetsScenario : IBenchScenario
{
    private static readonly byte[] Ok = "ok"u8.ToArray();
    private static readonly byte[] Health = Encoding.UTF8.GetBytes("""{"version":"1.0","commit":"bench","database":"ok"}""");

    public string Name => "serve-targets";

    public string Description => "(used by 'prober') serve health endpoints for many targets: --ports K";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var ports = new BenchArgs(args).Int("ports", 50);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i < ports; i++)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        app.Run(context =>
        {
            var path = context.Request.Path.Value ?? "";
            var body = path.EndsWith("/api/health", StringComparison.Ordinal) ? Health : Ok;
            context.Response.ContentType = body == Health ? "application/json" : "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, 0, body.Length);
        });
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port);
        Console.WriteLine($"ports: {string.Join(',', bound)}");
        await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
