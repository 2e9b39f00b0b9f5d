using System.Net;
using System.Text.Json.Nodes;
using CaptchaSimulator;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.Captcha.CaptchaSetup;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Captcha;

// A captcha token is single use across instances (its claim lives in the shared Redis), but a provider that could
// not answer does not burn it: the claim is given back and the user's retry with the same token is judged.
[Collection(RedisCollection.Name)]
public sealed class CaptchaClaimTests(RedisServer redis, Upstreams upstreams)
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    private Task<GatewayServer> StartAsync(string secret) =>
        GatewayServer.StartAsync(CaptchaSetup.Config(upstreams, secret: secret), builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = _prefix,
            ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
        }));

    [Fact]
    public async Task ProviderFailure_GivesTheTokenBack_TheRetryOnAnotherInstanceIsJudged()
    {
        await using var failing = await StartAsync(SimulatorSecrets.ServerError);
        await using var working = await StartAsync(SimulatorSecrets.AlwaysPasses);
        var token = NewToken();

        await (await failing.Public.SendAsync(LoginWith(token, "100.64.40.1"))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "captcha-unavailable");
        Assert.Equal(HttpStatusCode.OK, (await working.Public.SendAsync(LoginWith(token, "100.64.40.1"))).StatusCode);

        // Judged once, by a provider that answered: now it is spent on every instance (other networks, so the pass
        // the success earned does not apply).
        await (await working.Public.SendAsync(LoginWith(token, "100.64.42.2"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-replayed");
        await (await failing.Public.SendAsync(LoginWith(token, "100.64.43.3"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-replayed");
    }

    [Fact]
    public async Task OneToken_TwentyConcurrentRequestsAcrossTwoInstances_ExactlyOnePasses()
    {
        await using var first = await StartAsync(SimulatorSecrets.AlwaysPasses);
        await using var second = await StartAsync(SimulatorSecrets.AlwaysPasses);
        var token = NewToken();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? first : second).Public.SendAsync(LoginWith(token, $"100.64.41.{i + 1}"))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
    }
}
