using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Networking;

// A parsed, immutable list of networks. Lists here are operator-written and short (tens of entries);
// a linear scan over IPNetwork.Contains is cheaper than building a trie for that size.
public sealed class CidrSet
{
    public static readonly CidrSet Empty = new([]);

    private readonly IPNetwork[] _networks;

    public CidrSet(IEnumerable<IPNetwork> networks) => _networks = networks.ToArray();

    public int Count => _networks.Length;

    public bool Contains(IPAddress address)
    {
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // Parses every entry and reports each bad one under its configuration path.
    public static CidrSet Parse(IEnumerable<string?>? entries, string configPath, ICollection<string> errors)
    {
        if (entries is null)
        {
            return Empty;
        }

        var networks = new List<IPNetwork>();
        var index = 0;
        foreach (var entry in entries)
        {
            if (CidrParser.TryParse(entry, out var network, out var error))
            {
                networks.Add(network.Value);
            }
            else
            {
                errors.Add($"{configPath}:{index}: {error}.");
            }

            index++;
        }

        return networks.Count == 0 ? Empty : new CidrSet(networks);
    }
}
