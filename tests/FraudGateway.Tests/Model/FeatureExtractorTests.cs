using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class FeatureExtractorTests
{
    private static FeatureExtractor Extractor(params string[] datacenter)
    {
        var errors = new List<string>();
        var lists = new IpLists(IpRangeList.Parse(datacenter, "dc", errors), IpRangeList.Empty, IpRangeList.Empty);
        Assert.Empty(errors);
        return new FeatureExtractor(lists);
    }

    [Fact]
    public void Request_without_anything_gets_defined_values()
    {
        var v = Extractor().Extract(new RequestFacts());
        Assert.Equal(FeatureSchema.Count, v.Length);
        Assert.Equal(1, v[FeatureSchema.UaMissing]);
        Assert.Equal(0, v[FeatureSchema.IpVersion]);
        Assert.Equal(-1, v[FeatureSchema.RequestsPerIpMinute]);
        Assert.Equal(-1, v[FeatureSchema.SecondsSincePrevious]);
        Assert.Equal(-1, v[FeatureSchema.EmailDisposable]);
        Assert.Equal(0, v[FeatureSchema.IpDatacenter]);
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void Extract_ListNotConfigured_IsUnknownNotAbsent()
    {
        var v = new FeatureExtractor(IpLists.None).Extract(new RequestFacts { Ip = IPAddress.Parse("192.0.2.1") });
        Assert.Equal(-1, v[FeatureSchema.IpDatacenter]);
        Assert.Equal(-1, v[FeatureSchema.IpTor]);
        Assert.Equal(-1, v[FeatureSchema.IpVpn]);
        Assert.True(FeatureSchema.IsUnknown(FeatureSchema.IpVpn, v[FeatureSchema.IpVpn]));
    }

    [Fact]
    public void IsEvidence_OnlyClientFactsThatTellAScriptFromABrowser()
    {
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Groups.Length);
        Assert.True(FeatureSchema.IsEvidence(FeatureSchema.UaKnownBot));
        Assert.True(FeatureSchema.IsEvidence(FeatureSchema.SecFetchMismatch));
        Assert.True(FeatureSchema.IsEvidence(FeatureSchema.IpDatacenter));
        Assert.True(FeatureSchema.IsEvidence(FeatureSchema.MessageLinks));
        Assert.All(FeatureSchema.EvidenceSlots, slot => Assert.True(FeatureSchema.Groups[slot] is SignalGroup.UserAgent or SignalGroup.HeaderSet or SignalGroup.Network or SignalGroup.Content));
        foreach (var slot in new[] { FeatureSchema.ContentType, FeatureSchema.Method, FeatureSchema.BodyLength, FeatureSchema.IpVersion, FeatureSchema.IpTor,
                     FeatureSchema.IpVpn, FeatureSchema.UaVersionStaleness, FeatureSchema.UaLength, FeatureSchema.ClientHintsPresent,
                     FeatureSchema.FormFillSeconds, FeatureSchema.DistinctIpsPerAccount, FeatureSchema.SecondsSincePrevious, FeatureSchema.InterArrivalCv })
        {
            Assert.False(FeatureSchema.IsEvidence(slot), FeatureSchema.Names[slot]);
        }
    }

    [Fact]
    public void Modern_browser_without_sec_fetch_is_a_mismatch_and_with_it_is_not()
    {
        const string chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
        var bare = Extractor().Extract(new RequestFacts { UserAgent = chrome });
        Assert.Equal(1, bare[FeatureSchema.SecFetchExpected]);
        Assert.Equal(1, bare[FeatureSchema.SecFetchMismatch]);

        var full = Extractor().Extract(new RequestFacts
        {
            UserAgent = chrome, SecFetchSite = "same-origin", SecFetchMode = "cors", SecFetchDest = "empty",
            SecChUa = "\"Chromium\";v=\"153\", \"Google Chrome\";v=\"153\", \"Not_A Brand\";v=\"24\"",
        });
        Assert.Equal(3, full[FeatureSchema.SecFetchCount]);
        Assert.Equal(0, full[FeatureSchema.SecFetchMismatch]);
        Assert.Equal(1, full[FeatureSchema.ClientHintsPresent]);
        Assert.Equal(0, full[FeatureSchema.ClientHintsMismatch]);

        var lying = Extractor().Extract(new RequestFacts { UserAgent = chrome, SecChUa = "\"Chromium\";v=\"120\", \"Google Chrome\";v=\"120\"" });
        Assert.Equal(1, lying[FeatureSchema.ClientHintsMismatch]);
    }

    // A person's hour, weekday or time zone is not evidence: the same request at any instant of a week, in any
    // offset, gives the same vector.
    [Fact]
    public void The_clock_is_not_a_feature()
    {
        static RequestFacts At(DateTimeOffset time) => new()
        {
            Timestamp = time, UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0", Method = "POST",
            Accept = "*/*", SecFetchSite = "same-origin", Ip = IPAddress.Parse("81.2.69.160"), FormFillSeconds = 8,
        };

        var extractor = Extractor();
        var reference = extractor.Extract(At(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
        for (var minutes = 0; minutes < 7 * 24 * 60; minutes += 20)
        {
            var time = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes);
            Assert.Equal(reference, extractor.Extract(At(time)));
            Assert.Equal(reference, extractor.Extract(At(time.ToOffset(TimeSpan.FromHours(-8)))));
            Assert.Equal(reference, extractor.Extract(At(time.ToOffset(TimeSpan.FromHours(9)))));
        }
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 1)]
    [InlineData("curl/8.5.0", 1)]
    [InlineData("python-requests/2.32.3", 1)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36", 0)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.6.1 Mobile/15E148 Safari/604.1", 0)]
    public void Known_bot_slot_carries_isbots_verdict(string userAgent, int expected) =>
        Assert.Equal(expected, Extractor().Extract(new RequestFacts { UserAgent = userAgent })[FeatureSchema.UaKnownBot]);

    [Fact]
    public void Old_browser_is_not_expected_to_send_sec_fetch()
    {
        var v = Extractor().Extract(new RequestFacts { UserAgent = "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36" });
        Assert.Equal(0, v[FeatureSchema.SecFetchExpected]);
        Assert.Equal(0, v[FeatureSchema.SecFetchMismatch]);
    }

    [Theory]
    [InlineData("10.1.2.3", 4, 1, 0)]
    [InlineData("192.168.0.1", 4, 1, 0)]
    [InlineData("8.8.8.8", 4, 0, 0)]
    [InlineData("45.10.20.30", 4, 0, 1)]
    [InlineData("::ffff:45.10.20.30", 4, 0, 1)]
    [InlineData("2001:db8::1", 6, 1, 0)]
    [InlineData("2a05:1::1", 6, 0, 1)]
    [InlineData("2a02:1::1", 6, 0, 0)]
    public void Address_version_private_and_list_membership(string ip, int version, int isPrivate, int datacenter)
    {
        var v = Extractor("45.10.0.0/16", "2a05:1::/32").Extract(new RequestFacts { Ip = IPAddress.Parse(ip) });
        Assert.Equal(version, v[FeatureSchema.IpVersion]);
        Assert.Equal(isPrivate, v[FeatureSchema.IpPrivate]);
        Assert.Equal(datacenter, v[FeatureSchema.IpDatacenter]);
    }

    [Fact]
    public void Counters_and_body_facts_land_in_their_slots()
    {
        var facts = new RequestFacts
        {
            Timestamp = new DateTimeOffset(2026, 11, 28, 15, 30, 0, TimeSpan.Zero),
            EmailDisposable = 1,
            MessageLinks = 4,
            FormFillSeconds = 1.5,
            ContentType = "application/json; charset=utf-8",
            Method = "POST",
        };
        facts.SetCounter(FeatureSchema.FailuresPerAccount, 7);
        var v = Extractor().Extract(facts);
        Assert.Equal(7, v[FeatureSchema.FailuresPerAccount]);
        Assert.Equal(-1, v[FeatureSchema.FailuresPerIp]);
        Assert.Equal(1, v[FeatureSchema.EmailDisposable]);
        Assert.Equal(4, v[FeatureSchema.MessageLinks]);
        Assert.Equal(1.5f, v[FeatureSchema.FormFillSeconds]);
        Assert.Equal(1, v[FeatureSchema.ContentType]);
        Assert.Equal(1, v[FeatureSchema.Method]);
    }

    [Fact]
    public void Wrong_vector_size_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Extractor().Extract(new RequestFacts(), new float[3]));
    }

    [Fact]
    public void Every_slot_has_a_unique_name()
    {
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Length);
        Assert.Equal(FeatureSchema.Count, FeatureSchema.Names.Distinct().Count());
        Assert.Equal(FeatureSchema.RequestsPerIpMinute, FeatureSchema.IndexOf("requests_per_ip_minute"));
    }
}
