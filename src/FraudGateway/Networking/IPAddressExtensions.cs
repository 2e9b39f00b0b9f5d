using System.Net;
using System.Net.Sockets;

namespace FraudGateway.Networking;

internal static class IPAddressExtensions
{
    // IPv4 clients reaching a dual-stack socket show up as ::ffff:a.b.c.d; every comparison,
    // list lookup and counter key uses the plain IPv4 form.
    public static IPAddress Normalize(this IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static IPAddress ToNetworkAddress(this IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("Address could not be written.", nameof(address));
        }

        bytes = bytes[..written];
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInByte = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInByte));
        }

        return new IPAddress(bytes);
    }

    public static IPNetwork ToPrefix(this IPAddress address, int ipv4PrefixLength, int ipv6PrefixLength)
    {
        var length = address.AddressFamily == AddressFamily.InterNetwork ? ipv4PrefixLength : ipv6PrefixLength;
        return new IPNetwork(address.ToNetworkAddress(length), length);
    }
}
