using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Testing;

public static class FreePorts
{
    // Below Linux's ephemeral range (32768-60999): the OS never hands these out to outgoing connections, so a port
    // checked free here stays free until the test's server binds it. Each port is handed out once per process.
    // Test processes run side by side (scripts/test's lanes) get ranges of their own in CP_TEST_PORTS ("FIRST-LAST"),
    // or two of them could hand out the same port before either binds it.
    private static readonly (int First, int Last) Range = RangeOf(Environment.GetEnvironmentVariable("CP_TEST_PORTS"));
    private static readonly ConcurrentDictionary<int, byte> Given = new();

    private static (int, int) RangeOf(string? setting)
    {
        var parts = (setting ?? "").Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var first) && int.TryParse(parts[1], out var last) && first < last
            ? (first, last)
            : (20_000, 32_000);
    }

    /// <summary>A loopback port nothing listens on now, not handed out before in this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Range.First, Range.Last);
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
        throw new InvalidOperationException($"no free port between {Range.First} and {Range.Last}");
    }

    /// <summary>A port p with p+1 and p+2 free too (the demo instances of AllInOne --demo listen on consecutive ports).</summary>
    public static int NextOfThree()
    {
        while (true)
        {
            var first = Next();
            if (Enumerable.Range(first + 1, 2).All(IsFree))
            {
                return first;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
