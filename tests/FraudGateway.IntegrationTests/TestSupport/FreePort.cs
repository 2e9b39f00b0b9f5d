using System.Net;
using System.Net.Sockets;

namespace FraudGateway.IntegrationTests.TestSupport;

public static class FreePort
{
    // Ports already handed out in this test run: the kernel may give a just-released port back at once, and two
    // listeners of one server (public and management) must never get the same one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> Given = new();

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (Given.TryAdd(port, true))
            {
                return port;
            }
        }
    }

    // Waits (bounded) until something accepts connections on the loopback port: a server process just started.
    public static async Task WaitUntilOpenAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
