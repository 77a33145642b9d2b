using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>Logs a cache outage at most every 30 s: during one every call fails, and one line says enough.</summary>
internal sealed class ThrottledWarning(ILogger logger)
{
    private long _lastTicks = long.MinValue / 2;

    public void Warn(Exception ex)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastTicks);
        if (now - last > 30_000 && Interlocked.CompareExchange(ref _lastTicks, now, last) == last)
        {
            ServiceLog.CacheUnavailable(logger, ex.Message);
        }
    }
}
