using System.Diagnostics;

namespace ControlPlane.Testing;

/// <summary>A virtual host of its own on the test broker, so tests never see each other's messages. Deleted at dispose.</summary>
public sealed class RabbitMqVhost : IAsyncDisposable
{
    private RabbitMqVhost(string name) => Name = name;

    public string Name { get; }

    /// <summary>amqp:// URI of this vhost with the test broker's credentials.</summary>
    public string ConnectionString
    {
        get
        {
            var root = new UriBuilder(BackingServices.RabbitMq) { Path = "/" + Uri.EscapeDataString(Name) };
            return root.Uri.ToString();
        }
    }

    public static async Task<RabbitMqVhost> CreateAsync()
    {
        var vhost = new RabbitMqVhost($"cp-test-{Guid.NewGuid():N}"[..20]);
        await Broker.CtlAsync("add_vhost", vhost.Name);
        await Broker.CtlAsync("set_permissions", "-p", vhost.Name, new Uri(BackingServices.RabbitMq).UserInfo.Split(':')[0], ".*", ".*", ".*");
        return vhost;
    }

    public async ValueTask DisposeAsync() => await Broker.CtlAsync("delete_vhost", Name);
}

/// <summary>rabbitmqctl against the test broker: vhosts, and stopping the broker to test outages.</summary>
public static class Broker
{
    public static Task StopAsync() => CtlAsync("stop_app");

    public static async Task StartAsync()
    {
        await CtlAsync("start_app");
        await CtlAsync("await_startup");
    }

    public static async Task CtlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(BackingServices.RabbitMqNode);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        }
    }
}
