using System.Text.Json;

namespace ControlPlane.DemoApp;

/// <summary>GET, POST (merge) and DELETE (clear) /faults. Never delayed or hung, so a test can always heal.</summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapFaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/faults", (FaultState faults) => FaultSettings.From(faults.Current));
        app.MapPost("/faults", ChangeAsync);
        app.MapDelete("/faults", (FaultState faults) => FaultSettings.From(faults.Clear("DELETE /faults")));
        return app;
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, FaultState faults, ProcessExit exit)
    {
        FaultSettings? change;
        try
        {
            change = await JsonSerializer.DeserializeAsync<FaultSettings>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return BadRequest($"invalid JSON: {ex.Message}");
        }
        if (change is null)
        {
            return BadRequest("the body must be a JSON object");
        }
        if (change.Error() is { } error)
        {
            return BadRequest(error);
        }

        var now = faults.Apply(change, "POST /faults");
        if (change.ExitCode is { } code)
        {
            http.Response.OnCompleted(() =>
            {
                exit.After(TimeSpan.Zero, code, "POST /faults");
                return Task.CompletedTask;
            });
        }
        return Results.Ok(FaultSettings.From(now) with { ExitCode = change.ExitCode });
    }

    private static IResult BadRequest(string message) => Results.BadRequest(new { error = message });
}
