using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class IpRangeListTests
{
    [Fact]
    public void Finds_addresses_in_merged_ranges_of_both_families()
    {
        var errors = new List<string>();
        var list = IpRangeList.Parse(["# hosting", "203.0.113.0/25", "203.0.113.128/25 # adjacent", "198.51.100.7", "2001:db8:10::/48", ""], "dc.txt", errors);
        Assert.Empty(errors);
        Assert.Equal(3, list.RangeCount); // the two /25 merge
        Assert.True(list.Contains(IPAddress.Parse("203.0.113.200")));
        Assert.True(list.Contains(IPAddress.Parse("198.51.100.7")));
        Assert.False(list.Contains(IPAddress.Parse("198.51.100.8")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8:10:ffff::1")));
        Assert.False(list.Contains(IPAddress.Parse("2001:db8:11::1")));
        Assert.True(list.Contains(IPAddress.Parse("::ffff:203.0.113.1")));
        Assert.False(list.Contains(null));
    }

    [Fact]
    public void Bad_lines_and_missing_files_are_reported_with_their_place()
    {
        var errors = new List<string>();
        IpRangeList.Parse(["10.0.0.0/8", "not-a-network", "10.0.0.0/33"], "vpn.txt", errors);
        Assert.Equal(["vpn.txt:2: 'not-a-network' is not an address or CIDR network", "vpn.txt:3: '10.0.0.0/33' is not an address or CIDR network"], errors);

        errors.Clear();
        var lists = IpLists.Load(["/nonexistent/dc.txt"], null, null, errors);
        Assert.Single(errors);
        Assert.Equal(0, lists.Datacenter!.RangeCount);
        Assert.Null(lists.Tor);
    }

    [Fact]
    public void Merge_combines_lists()
    {
        var errors = new List<string>();
        var merged = IpRangeList.Merge([IpRangeList.Parse(["10.0.0.0/24"], "a", errors), IpRangeList.Parse(["10.0.1.0/24", "::1"], "b", errors)]);
        Assert.Equal(2, merged.RangeCount);
        Assert.True(merged.Contains(IPAddress.Parse("10.0.1.9")));
        Assert.True(merged.Contains(IPAddress.IPv6Loopback));
    }
}
