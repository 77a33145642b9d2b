using ControlPlane.Dashboard;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// The dashboard's own host for HA: no database or bus, only the services' gRPC API (Dashboard:*Url) and the
// sign-in cookie, whose keys its replicas share in Redis (ConnectionStrings:Redis) or a folder
// (Dashboard:DataProtectionKeysPath).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<ControlPlaneOptions>().BindConfiguration(ControlPlaneOptions.SectionName);
var url = builder.Configuration[$"{ControlPlaneOptions.SectionName}:HttpUrl"] ?? "http://127.0.0.1:5160";
builder.WebHost.UseUrls(url);
builder.AddControlPlaneTelemetry("dashboard");
builder.AddDashboard();
builder.Services.AddHealthChecks().AddCheck<ServicesHealthCheck>("services", tags: ["ready"]);

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
// Open, as the services' are: probes and scrapers carry no credential.
app.MapGet("/livez", () => Results.Text("ok")).AllowAnonymous();
app.MapHealthChecks("/readyz", new HealthCheckOptions
{
    Predicate = r => r.Tags.Contains("ready"),
    // "Healthy", or the status and which service does not answer, e.g. "Degraded: backups: Unavailable".
    ResponseWriter = (context, report) => context.Response.WriteAsync(report.Status == HealthStatus.Healthy
        ? "Healthy"
        : $"{report.Status}: {string.Join("; ", report.Entries.Values.Select(e => e.Description))}"),
}).AllowAnonymous();
app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
app.MapGet("/", () => Results.Redirect("/dashboard")).AllowAnonymous();
app.MapDashboard();
app.Run();
