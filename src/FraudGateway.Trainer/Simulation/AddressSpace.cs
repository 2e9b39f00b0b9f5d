using System.Net;
using System.Net.Sockets;
using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// The simulated internet: synthetic hosting/datacenter, Tor-exit and VPN lists (the same for every seed, written
// next to the data by `simulate` so train/evaluate/score read the lists the data was made with) and residential
// addresses outside them. These ranges are made up for simulation; they are not real provider lists.
public sealed class AddressSpace
{
    private const int ListSeed = 20261128;

    private readonly List<(uint Start, int Size)> _datacenter4 = [];
    private readonly List<byte[]> _datacenter6 = [];
    private readonly List<uint> _tor = [];
    private readonly List<uint> _vpn = [];
    private readonly IpLists _lists;

    public AddressSpace()
    {
        var random = new Random(ListSeed);
        for (var i = 0; i < 60; i++)
        {
            _datacenter4.Add((RandomPublic(random) & 0xFFFFF000u, 4096));
        }

        for (var i = 0; i < 20; i++)
        {
            _datacenter6.Add([0x2a, 0x05, (byte)random.Next(256), (byte)random.Next(256)]);
        }

        for (var i = 0; i < 400; i++)
        {
            _tor.Add(RandomPublic(random));
        }

        for (var i = 0; i < 40; i++)
        {
            _vpn.Add(RandomPublic(random) & 0xFFFFFF00u);
        }

        var errors = new List<string>();
        _lists = new IpLists(
            IpRangeList.Parse(DatacenterLines(), "datacenter", errors),
            IpRangeList.Parse(_tor.Select(a => ToAddress(a).ToString()), "tor", errors),
            IpRangeList.Parse(_vpn.Select(a => $"{ToAddress(a)}/24"), "vpn", errors));
    }

    public IpLists Lists => _lists;

    public void WriteLists(string directory)
    {
        Directory.CreateDirectory(directory);
        const string header = "# Synthetic ranges made by fraudgateway-trainer simulate for simulated traffic. NOT a real provider list: do not deploy.\n";
        File.WriteAllText(Path.Combine(directory, "datacenter.txt"), header + string.Join('\n', DatacenterLines()) + "\n");
        File.WriteAllText(Path.Combine(directory, "tor.txt"), header + string.Join('\n', _tor.Select(a => ToAddress(a).ToString())) + "\n");
        File.WriteAllText(Path.Combine(directory, "vpn.txt"), header + string.Join('\n', _vpn.Select(a => $"{ToAddress(a)}/24")) + "\n");
    }

    public IPAddress Residential4(Random random)
    {
        while (true)
        {
            var address = ToAddress(RandomPublic(random));
            if (!_lists.Datacenter!.Contains(address) && !_lists.Tor!.Contains(address) && !_lists.Vpn!.Contains(address))
            {
                return address;
            }
        }
    }

    // A household's /64: 2a0X:....:....:....::/64 outside the datacenter /32s.
    public static byte[] Residential64(Random random)
    {
        var prefix = new byte[8];
        random.NextBytes(prefix);
        prefix[0] = 0x2a;
        prefix[1] = (byte)(random.Next(0, 4) == 0 ? 0x01 : 0x02);
        return prefix;
    }

    public static IPAddress InPrefix64(byte[] prefix, Random random)
    {
        var bytes = new byte[16];
        prefix.CopyTo(bytes, 0);
        random.NextBytes(bytes.AsSpan(8));
        return new IPAddress(bytes);
    }

    public IPAddress Datacenter(Random random)
    {
        if (random.NextDouble() < 0.2)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            _datacenter6[random.Next(_datacenter6.Count)].CopyTo(bytes, 0);
            return new IPAddress(bytes);
        }

        var (start, size) = _datacenter4[random.Next(_datacenter4.Count)];
        return ToAddress(start + (uint)random.Next(1, size - 1));
    }

    public IPAddress Tor(Random random) => ToAddress(_tor[random.Next(_tor.Count)]);

    public IPAddress Vpn(Random random) => ToAddress(_vpn[random.Next(_vpn.Count)] + (uint)random.Next(1, 255));

    private IEnumerable<string> DatacenterLines() =>
        _datacenter4.Select(d => $"{ToAddress(d.Start)}/20")
            .Concat(_datacenter6.Select(p => $"{new IPAddress([p[0], p[1], p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])}/32"));

    private static uint RandomPublic(Random random)
    {
        while (true)
        {
            var value = (uint)random.NextInt64(0, 1L << 32);
            var address = ToAddress(value);
            if (address.AddressFamily == AddressFamily.InterNetwork && !FeatureExtractor.IsPrivateOrReserved(address) && (value >> 24) is > 0 and < 224)
            {
                return value;
            }
        }
    }

    private static IPAddress ToAddress(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
