var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("healthprobe");
builder.AddHealthProbe();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapHealthProbe();
app.Run();
