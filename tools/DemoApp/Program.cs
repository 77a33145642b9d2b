using ControlPlane.DemoApp;
using Microsoft.Extensions.Options;

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
    Console.Error.WriteLine($"demoapp: {ex.Message}");
    return 2;
}
