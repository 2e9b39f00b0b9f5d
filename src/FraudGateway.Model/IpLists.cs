namespace FraudGateway.Model;

// The operator's CIDR list files, one per feature: hosting/datacenter ranges, Tor exit nodes, VPN providers.
// A list that is not configured (null) is unknown, not empty: its feature is -1 and never evidence.
public sealed class IpLists
{
    public static readonly IpLists None = new(null, null, null);

    public IpLists(IpRangeList? datacenter, IpRangeList? tor, IpRangeList? vpn)
    {
        Datacenter = datacenter;
        Tor = tor;
        Vpn = vpn;
    }

    public IpRangeList? Datacenter { get; }

    public IpRangeList? Tor { get; }

    public IpRangeList? Vpn { get; }

    // Each list may come from several files; every bad line or missing file lands in errors. No file: not configured.
    public static IpLists Load(IEnumerable<string>? datacenter, IEnumerable<string>? tor, IEnumerable<string>? vpn, ICollection<string> errors) =>
        new(LoadAll(datacenter, errors), LoadAll(tor, errors), LoadAll(vpn, errors));

    private static IpRangeList? LoadAll(IEnumerable<string>? paths, ICollection<string> errors)
    {
        var files = paths?.ToList();
        return files is null || files.Count == 0 ? null : IpRangeList.Merge(files.Select(path => IpRangeList.Load(path, errors)));
    }
}
