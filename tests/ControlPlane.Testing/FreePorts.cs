using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Testing;

public static class FreePorts
{
    /// <summary>A loopback port nothing listens on right now (the OS hands out a fresh one each time).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
