var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("backups");
builder.AddBackups();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapBackups();
app.Run();
