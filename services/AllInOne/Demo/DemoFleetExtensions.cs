using ControlPlane.Agent;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.AllInOne.Demo;

public static class DemoFleetExtensions
{
    /// <summary>The verb this program answers as one demo instance (what the demo Agents supervise).</summary>
    public const string InstanceVerb = "demo-instance";

    /// <summary>
    /// A fleet of DemoApp instances, each supervised by an Agent hosted in this process: the in-memory bus only
    /// reaches consumers of the same process, so the Agents cannot be processes of their own here.
    /// </summary>
    public static WebApplicationBuilder AddDemoFleet(this WebApplicationBuilder builder)
    {
        var demo = builder.Configuration.GetSection(DemoFleetOptions.SectionName).Get<DemoFleetOptions>() ?? new DemoFleetOptions();
        builder.Services.AddSingleton(Options.Create(demo));
        builder.AddAgents(Enumerable.Range(1, demo.Instances).Select(number => Agent(demo, number)).ToList());
        builder.Services.AddHostedService<DemoFleetSetup>();
        return builder;
    }

    private static AgentOptions Agent(DemoFleetOptions demo, int number)
    {
        var instanceId = demo.InstanceId(number);
        var port = demo.Port(number);
        var (command, arguments) = ThisProgram();
        return new AgentOptions
        {
            InstanceId = instanceId,
            App = demo.App,
            Address = $"http://127.0.0.1:{port}",
            Version = demo.Version,
            Mode = ApplyMode.Supervise,
            StateFile = Path.Combine(demo.StateFolder, $"agent-{instanceId}.json"),
            Labels = { ["demo"] = "true" },
            Supervise = new CommandTemplate
            {
                Command = command,
                Arguments =
                [
                    .. arguments, InstanceVerb, "--version", "{version}", "--instance-id", "{instance_id}", "--port", $"{port}",
                    "--faults-by-version", $"{demo.BrokenVersion}=readiness",
                ],
            },
        };
    }

    /// <summary>How to start this program again: its apphost, or `dotnet` and its assembly when run that way.</summary>
    private static (string Command, List<string> Arguments) ThisProgram()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(DemoFleetExtensions).Assembly.Location])
            : (process, []);
    }
}
