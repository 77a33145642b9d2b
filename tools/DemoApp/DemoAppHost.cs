using Microsoft.Extensions.Options;

namespace ControlPlane.DemoApp;

/// <summary>Runs a DemoApp instance: its own program, and AllInOne's `demo-instance` verb for the demo fleet.</summary>
public static class DemoAppHost
{
    /// <returns>The process exit code (2 for invalid settings, or the code an exit fault asked for).</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddDemoApp(args);
        try
        {
            var app = builder.Build();
            app.MapDemoApp();
            // Resolved before running: RunAsync disposes the services.
            var exit = app.Services.GetRequiredService<ProcessExit>();
            await app.RunAsync();
            return exit.Code;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"demoapp: {ex.Message}");
            return 2;
        }
    }
}
