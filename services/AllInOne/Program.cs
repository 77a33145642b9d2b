// The four services' Add…/Map… pairs in one process; each later service joins here.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("controlplane");
builder.AddRegistry();
builder.AddHealthProbe();
builder.AddBackups();
builder.AddRollouts();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRegistry();
app.MapHealthProbe();
app.MapBackups();
app.MapRollouts();
app.Run();
