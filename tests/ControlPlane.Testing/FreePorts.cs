using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Testing;

public static class FreePorts
{
    // Below Linux's ephemeral range (32768-60999): the OS never hands these out to outgoing connections, so a port
    // checked free here stays free until the test's server binds it. Each port is handed out once per process.
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly ConcurrentDictionary<int, byte> Given = new();

    /// <summary>A loopback port nothing listens on now, not handed out before in this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!Given.TryAdd(port, 0))
            {
                continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use by something else: try another.
            }
        }
        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }
}
