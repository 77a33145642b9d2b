namespace ControlPlane.Testing;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true; on timeout fails saying what was awaited and <paramref name="detail"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"not {what} within {timeout}: {detail?.Invoke()}");
    }
}
