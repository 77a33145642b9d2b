var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("rollouts");
builder.AddRollouts();
builder.AddControlPlaneBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRollouts();
app.Run();
