using Microsoft.Extensions.Options;

namespace ControlPlane.DemoApp;

/// <summary>The endpoints a Grafana server has and the control plane probes, shaped by the current faults.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (IOptions<DemoOptions> options) =>
            Results.Text($"DemoApp instance {options.Value.InstanceId}, version {options.Value.Version}\n" +
                         "endpoints: /livez /readyz /api/health /faults\n"));

        var health = app.MapGroup("").AddEndpointFilter<HealthFaultFilter>();
        health.MapGet("/livez", () => Results.Text("ok"));
        health.MapGet("/readyz", (FaultState faults) => faults.Current.NotReadyReason is { } reason
            ? Results.Text(reason, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok"));
        health.MapGet("/api/health", (FaultState faults, IOptions<DemoOptions> options) =>
        {
            var down = faults.Current.DatabaseDown;
            var demo = options.Value;
            return Results.Json(
                new ApiHealth(demo.Version, demo.Commit, down ? "failing" : "ok", demo.InstanceId),
                statusCode: down ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        return app;
    }

    /// <summary>Grafana's /api/health, plus the instance id.</summary>
    private sealed record ApiHealth(string Version, string Commit, string Database, string InstanceId);
}
