var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("agent");
builder.AddAgent();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAgent();
app.Run();
