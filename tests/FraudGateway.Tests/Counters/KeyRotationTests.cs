using System.Net;
using FraudGateway.Counters;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Counters;

// HMAC key rotation on the request path: a client's bans and counts under the previous key still apply until that
// key's end, and nothing is written under it.
public class KeyRotationTests
{
    private const string OldKey = "old-rotation-key-0123456789abcdef0123";
    private const string NewKey = "new-rotation-key-0123456789abcdef0123";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 1, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private static SubjectHasher Old => new(OldKey, "k1");

    private static SubjectHasher Rotated(DateTimeOffset until) => new(NewKey, "k2", previous: [new SubjectHasher(OldKey, "k1", until)]);

    private static GatewayPolicy Policy() => TestSettings.Provider(
        ("FraudGateway:Policies:p:OnStoreFailure", "FailOpen"),
        ("FraudGateway:Policies:p:RateLimits:0:Name", "ip-minute"),
        ("FraudGateway:Policies:p:RateLimits:0:Key", "ip"),
        ("FraudGateway:Policies:p:RateLimits:0:Limit", "5"),
        ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "60"),
        ("FraudGateway:Policies:p:RateLimits:1:Name", "ip-route"),
        ("FraudGateway:Policies:p:RateLimits:1:Key", "ip+route"),
        ("FraudGateway:Policies:p:RateLimits:1:Limit", "100"),
        ("FraudGateway:Policies:p:RateLimits:1:WindowSeconds", "60")).Current.Policies["p"];

    private FraudGatewayFeature Client(GatewayPolicy policy, SubjectHasher hasher, string ip = "203.0.113.7")
    {
        var address = IPAddress.Parse(ip);
        var feature = new FraudGatewayFeature(policy, "auth");
        feature.SetClient(new ClientIdentity { Address = address, PeerAddress = address, Prefix = address.ToPrefix(24, 64), UserAgent = "", RequestTime = _time.GetUtcNow() }, hasher);
        return feature;
    }

    private async Task<bool> AllowedAsync(InMemoryGatewayStore store, GatewayPolicy policy, SubjectHasher hasher)
    {
        var request = new CounterRequestBuilder(hasher).Build(new DefaultHttpContext(), Client(policy, hasher));
        var result = request.Merge(await store.CountAsync(request, default));
        return result.Ban is null && result.Decisions.All(d => d.Allowed);
    }

    [Fact]
    public async Task A_rotation_keeps_counting_what_the_previous_key_counted()
    {
        var store = new InMemoryGatewayStore(_time);
        var policy = Policy();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await AllowedAsync(store, policy, Old));
        }

        var rotated = Rotated(Start.AddDays(1));
        Assert.True(await AllowedAsync(store, policy, rotated));
        Assert.True(await AllowedAsync(store, policy, rotated));
        Assert.False(await AllowedAsync(store, policy, rotated));

        // Past the window both counts are gone; past the previous key's end it is not even read.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await AllowedAsync(store, policy, rotated));
    }

    [Fact]
    public async Task A_ban_under_the_previous_key_refuses_until_that_key_ends()
    {
        var store = new InMemoryGatewayStore(_time);
        var policy = Policy();
        var oldSubject = Client(policy, Old).AddressSubject;
        await store.AddBanAsync(new BanRecord(oldSubject, "rotation test", Start, Start.AddDays(7)), default);

        Assert.False(await AllowedAsync(store, policy, Rotated(Start.AddDays(1))));
        Assert.True(await AllowedAsync(store, policy, Rotated(Start.AddMinutes(-1))));
    }

    [Fact]
    public void The_previous_key_is_read_never_counted_and_its_keys_differ()
    {
        var policy = Policy();
        var feature = Client(policy, Rotated(Start.AddDays(1)));
        var request = new CounterRequestBuilder(Rotated(Start.AddDays(1))).Build(new DefaultHttpContext(), feature);

        Assert.Equal(2, request.PrimaryCount);
        Assert.Equal(4, request.LimitCount);
        Assert.Equal([(0, 2), (1, 3)], request.Shadows!);
        var old = feature.PreviousKeys.Single();
        Assert.NotEqual(feature.AddressSubject.Id, old.Address.Id);
        var oldGroup = request.Groups.Single(g => g.Tag == old.Address.Token);
        Assert.Equal(old.Address, oldGroup.Ban);
        Assert.All(oldGroup.Limits, l => Assert.Equal(CounterMode.Check, l.Mode));
        // The combination names the route under the previous key too.
        var currentCombination = request.Groups[0].Limits.Single(l => l.Slot == 1).KeySuffix;
        var oldCombination = oldGroup.Limits.Single(l => l.Slot == 3).KeySuffix;
        Assert.StartsWith("rl:p:ip-route:s:r:", oldCombination);
        Assert.NotEqual(currentCombination, oldCombination);

        var expired = Client(policy, Rotated(Start));
        Assert.Empty(expired.PreviousKeys);
    }

    [Theory]
    // limit 5: 2 used before (a check leaving 2 after one more), the current count leaving 4 -> 2 left.
    [InlineData(true, 4, true, 2, true, 2)]
    // 4 used before, 2 counted now: over.
    [InlineData(true, 3, true, 0, false, 0)]
    // The previous key refuses on its own (a penalty, say).
    [InlineData(true, 4, false, 0, false, 0)]
    public void Combine_adds_what_was_used_under_the_previous_key(bool currentAllowed, long currentRemaining, bool previousAllowed, long previousRemaining, bool allowed, long remaining)
    {
        var combined = CounterRequest.Combine(5, new RateLimitDecision(currentAllowed, currentRemaining, 60_000, 0), new RateLimitDecision(previousAllowed, previousRemaining, 30_000, previousAllowed ? 0 : 30_000));

        Assert.Equal((allowed, remaining), (combined.Allowed, combined.Remaining));
        Assert.True(combined.Allowed || combined.RetryAfterMs > 0);
    }
}
