namespace ControlPlane.Testing;

/// <summary>Waits for a condition with a generous deadline: tests assert outcomes, never how fast a loaded machine gets there.</summary>
public static class Eventually
{
    /// <exception cref="TimeoutException">Not met in time; says what was awaited and, when given, the last state seen.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {timeout.TotalSeconds:0} s. {detail?.Invoke()}");
            }
            await Task.Delay(100);
        }
    }
}
