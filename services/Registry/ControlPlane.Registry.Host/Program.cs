var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("registry");
builder.AddRegistry();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRegistry();
app.Run();
