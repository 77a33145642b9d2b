using ControlPlane.AllInOne;
using ControlPlane.AllInOne.Demo;
using ControlPlane.DemoApp;

// The demo Agents supervise their instances by starting this same program with the instance verb.
if (args is [DemoFleetExtensions.InstanceVerb, .. var instanceArgs])
{
    return await DemoAppHost.RunAsync(instanceArgs);
}

// --demo: a fleet of DemoApp instances under Agents, with a rollout to try (README's first command).
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
{
    builder.Configuration["Demo:Enabled"] = "true";
}
builder.AddServiceDefaults("controlplane");
builder.AddRegistry();
builder.AddHealthProbe();
builder.AddBackups();
builder.AddRollouts();
builder.AddEmbeddedAdminKey();
builder.AddDashboard();
if (builder.Configuration.GetValue<bool>("Demo:Enabled"))
{
    builder.AddDemoFleet();
}
builder.AddControlPlaneBus();
builder.Services.AddHostedService<EndpointsBanner>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRegistry();
app.MapHealthProbe();
app.MapBackups();
app.MapRollouts();
app.MapDashboard();
if (builder.Configuration.GetValue<bool>("Demo:Enabled"))
{
    app.MapAgent();
}
await app.RunAsync();
return 0;
