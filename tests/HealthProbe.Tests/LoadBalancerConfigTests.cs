using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>Rendered configs checked by the real nginx and HAProxy (installed by scripts/test), listing exactly the ready set.</summary>
public class LoadBalancerConfigTests
{
    [Fact]
    public async Task RenderedNginxAndHaproxyConfigsAreValidAndListExactlyTheReadySet()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), rise: 1, fall: 1);
        var ready1 = await fleet.AddInstanceAsync("grafana", "g-1");
        var ready2 = await fleet.AddInstanceAsync("grafana", "g-2");
        var notReady = await fleet.AddInstanceAsync("grafana", "g-3", args: ["--faults-by-version", "1.0=readiness"]);
        await fleet.WaitForStateAsync("g-1", HealthState.Healthy);
        await fleet.WaitForStateAsync("g-2", HealthState.Healthy);
        await fleet.WaitForStateAsync("g-3", HealthState.Unhealthy);

        var nginx = await RenderAsync(fleet, LoadBalancerFormat.Nginx, new LoadBalancerOptions { ListenPort = 8080 });
        Assert.Equal(2, nginx.ServerCount);
        Assert.Contains("least_conn;", nginx.Config);
        Assert.Equal(new[] { ready1.Port, ready2.Port }.Order(), Servers(nginx.Config, "server 127.0.0.1:"));
        Assert.DoesNotContain($":{notReady.Port}", nginx.Config);
        await LoadBalancers.NginxAcceptsAsync(nginx.Config);

        var haproxy = await RenderAsync(fleet, LoadBalancerFormat.Haproxy, new LoadBalancerOptions { ListenPort = 8080 });
        Assert.Contains("balance leastconn", haproxy.Config);
        Assert.Contains("option httpchk GET /readyz", haproxy.Config);
        Assert.Equal(new[] { ready1.Port, ready2.Port }.Order(), Servers(haproxy.Config, " 127.0.0.1:"));
        await LoadBalancers.HaproxyAcceptsAsync(haproxy.Config);

        // The whole fleet, the not-ready one marked down; still valid for both.
        var nginxAll = await RenderAsync(fleet, LoadBalancerFormat.Nginx, new LoadBalancerOptions { IncludeNotReady = true });
        Assert.Contains($"server 127.0.0.1:{notReady.Port} down;", nginxAll.Config);
        await LoadBalancers.NginxAcceptsAsync(nginxAll.Config);
        var haproxyAll = await RenderAsync(fleet, LoadBalancerFormat.Haproxy, new LoadBalancerOptions { IncludeNotReady = true, Balance = BalanceAlgorithm.RoundRobin });
        Assert.Contains($"server g-3 127.0.0.1:{notReady.Port} check disabled", haproxyAll.Config);
        await LoadBalancers.HaproxyAcceptsAsync(haproxyAll.Config);
        Assert.Equal(nginx.ReadySetRevision, haproxy.ReadySetRevision);
    }

    [Fact]
    public async Task AnEmptyReadySetStillRendersValidConfigsWithAWarning()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), rise: 1, fall: 1);
        await fleet.RegisterAsync("grafana", "dead", $"http://127.0.0.1:{FreePorts.Next()}");
        await fleet.WaitForStateAsync("dead", HealthState.Unhealthy);

        var nginx = await RenderAsync(fleet, LoadBalancerFormat.Nginx, new LoadBalancerOptions { ListenPort = 8080, Balance = BalanceAlgorithm.SourceHash });
        Assert.Equal(0, nginx.ServerCount);
        Assert.Contains(nginx.Warnings, w => w.Contains("ready set is empty"));
        await LoadBalancers.NginxAcceptsAsync(nginx.Config);
        await LoadBalancers.HaproxyAcceptsAsync((await RenderAsync(fleet, LoadBalancerFormat.Haproxy, new LoadBalancerOptions())).Config);
    }

    private static async Task<RenderLoadBalancerConfigResponse> RenderAsync(ProbedFleet fleet, LoadBalancerFormat format, LoadBalancerOptions options) =>
        await fleet.Health.RenderLoadBalancerConfigAsync(new RenderLoadBalancerConfigRequest { App = "grafana", Format = format, Options = options });

    private static List<int> Servers(string config, string prefix) =>
        config.Split('\n').Where(l => l.Contains(prefix) && !l.TrimStart().StartsWith('#'))
            .Select(l => int.Parse(l[(l.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Split(' ', ';')[0]))
            .Order().ToList();
}

/// <summary>Runs the real `nginx -t` and `haproxy -c` on a rendered fragment inside a minimal main configuration.</summary>
public static class LoadBalancers
{
    public static async Task NginxAcceptsAsync(string fragment)
    {
        var folder = Directory.CreateTempSubdirectory("cp-nginx-").FullName;
        try
        {
            var conf = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(conf, $$"""
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{folder}}/body;
                    proxy_temp_path {{folder}}/proxy;
                {{fragment}}
                }
                """);
            await RunAsync("nginx", "-t", "-q", "-p", folder, "-c", conf);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task HaproxyAcceptsAsync(string fragment)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cp-haproxy-{Guid.NewGuid():N}.cfg");
        try
        {
            await File.WriteAllTextAsync(file, $"""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s

                {fragment}

                # haproxy -c calls a file without any listener valid but unstartable (exit 2): give it one.
                frontend harness
                    bind 127.0.0.1:65000
                    http-request return status 200

                """);
            await RunAsync("haproxy", "-c", "-q", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var path = new[] { "/usr/sbin", "/usr/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{tool} is not installed (scripts/test installs it)");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} refused the config (exit {process.ExitCode}): {await errors}{await output}\n{string.Join(' ', args)}");
    }
}
