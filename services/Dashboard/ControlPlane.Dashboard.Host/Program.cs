using ControlPlane.ServiceDefaults.Hosting;

// The dashboard's own host for HA: no database or bus, only the services' gRPC API (Dashboard:*Url) and the
// sign-in cookie (share Dashboard:DataProtectionKeysPath between its replicas).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<ControlPlaneOptions>().BindConfiguration(ControlPlaneOptions.SectionName);
var url = builder.Configuration[$"{ControlPlaneOptions.SectionName}:HttpUrl"] ?? "http://127.0.0.1:5160";
builder.WebHost.UseUrls(url);
builder.AddDashboard();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/livez", () => Results.Text("ok")).AllowAnonymous();
app.MapGet("/", () => Results.Redirect("/dashboard")).AllowAnonymous();
app.MapDashboard();
app.Run();
