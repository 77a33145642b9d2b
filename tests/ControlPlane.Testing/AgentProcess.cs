using System.Net.Http.Json;
using System.Text.Json;

namespace ControlPlane.Testing;

/// <summary>A real Agent process in supervise mode, running a real DemoApp as its instance.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private AgentProcess(ServiceProcess process, string instanceId, int port)
    {
        Process = process;
        InstanceId = instanceId;
        Port = port;
    }

    public ServiceProcess Process { get; }
    public string InstanceId { get; }
    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";

    /// <param name="settings">More environment for the Agent (e.g. OTEL_EXPORTER_OTLP_ENDPOINT).</param>
    public static AgentProcess Start(string app, string instanceId, string version, string registryUrl, string rabbitMq, string folder,
        string faults = "", IDictionary<string, string>? settings = null)
    {
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = rabbitMq,
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(folder, $"agent-{instanceId}.db")}",
            ["ControlPlane__InstanceId"] = $"agent-{instanceId}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Agent__InstanceId"] = instanceId,
            ["Agent__App"] = app,
            ["Agent__Address"] = $"http://127.0.0.1:{port}",
            ["Agent__Version"] = version,
            ["Agent__RegistryUrl"] = registryUrl,
            ["Agent__LeaseTtl"] = "00:01:00",
            ["Agent__StateFile"] = Path.Combine(folder, $"agent-{instanceId}.json"),
            ["Agent__Mode"] = "Supervise",
            ["Agent__Supervise__Command"] = "dotnet",
        };
        string[] arguments = [DemoAppProcess.Dll, "--version", "{version}", "--instance-id", "{instance_id}", "--port", $"{port}", "--faults-by-version", faults];
        for (var i = 0; i < arguments.Length; i++)
        {
            environment[$"Agent__Supervise__Arguments__{i}"] = arguments[i];
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return new AgentProcess(ServiceProcess.Start("ControlPlane.Agent.Host", environment), instanceId, port);
    }

    /// <summary>The Agent's own account: version it applied and how many releases it really applied.</summary>
    public async Task<(string Version, int AppliedCount)> StatusAsync()
    {
        var status = await Process.Http.GetFromJsonAsync<JsonElement>("/agent");
        return (status.GetProperty("version").GetString()!, status.GetProperty("appliedCount").GetInt32());
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
