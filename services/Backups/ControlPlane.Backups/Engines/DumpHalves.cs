using System.Runtime.ExceptionServices;

namespace ControlPlane.Backups.Engines;

/// <summary>
/// A dump runs in two halves at once, the dump tool and the service's own checksums of the same snapshot. Either
/// failing stops the other: a dump without checksums (or the reverse) is no backup.
/// </summary>
public static class DumpHalves
{
    /// <summary>Cancels the other half as soon as this half fails.</summary>
    public static async Task<T> Guard<T>(Task<T> task, CancellationTokenSource others)
    {
        try
        {
            return await task;
        }
        catch
        {
            await others.CancelAsync();
            throw;
        }
    }

    /// <summary>Awaits both halves; when one failed, rethrows its error rather than the other's cancellation.</summary>
    public static async Task WhenBothAsync(Task first, Task second)
    {
        var both = Task.WhenAll(first, second);
        try
        {
            await both;
        }
        catch when (both.Exception is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException)
                ?? failure.InnerExceptions[0]);
        }
    }
}
