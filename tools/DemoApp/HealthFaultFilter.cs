namespace ControlPlane.DemoApp;

/// <summary>Holds back the answer of a health endpoint while the hang fault is on, then by delayMs.</summary>
internal sealed class HealthFaultFilter(FaultState faults, IHostApplicationLifetime lifetime) : IEndpointFilter
{
    // Polled rather than signalled: a hung request only has to notice within a tick that a test healed it.
    private static readonly TimeSpan HangTick = TimeSpan.FromMilliseconds(50);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            while (faults.Current.Hang)
            {
                await Task.Delay(HangTick, stop.Token);
            }
            if (faults.Current.DelayMs > 0)
            {
                await Task.Delay(faults.Current.DelayMs, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up (nobody reads this) or the process is stopping (so it is not healthy).
            return Results.Text("stopping", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return await next(context);
    }
}
