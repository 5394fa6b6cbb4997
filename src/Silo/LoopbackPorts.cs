using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sawt.Silo;

/// <summary>Free TCP ports on the loopback interface, for hosts started in-process on free ports.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on at the moment of the call.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><see cref="Free"/> as a configuration value.</summary>
    public static string FreeText() => Free().ToString(CultureInfo.InvariantCulture);
}
