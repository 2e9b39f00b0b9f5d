using FraudGateway.Captcha;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Captcha;

public class ProviderOutageLogTests
{
    // 25 failed verifications in 5 s are one Warning, not 25; a summary every 10 s after; one line when it answers.
    [Fact]
    public void Provider_failures_are_summarised_per_provider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var logger = new FakeLogger<ProviderOutageLog>();
        var outages = new ProviderOutageLog(time, logger);

        outages.Answered("turnstile");
        for (var i = 0; i < 25; i++)
        {
            outages.Failed("turnstile", "provider-timeout");
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(1, logger.Collector.Count);
        Assert.Equal(LogLevel.Warning, logger.LatestRecord.Level);
        Assert.Contains("Captcha provider turnstile could not verify a token (provider-timeout)", logger.LatestRecord.Message);

        outages.Failed("hcaptcha", "provider-error-status");
        Assert.Equal(2, logger.Collector.Count);

        time.Advance(TimeSpan.FromSeconds(6));
        outages.Failed("turnstile", "provider-unreachable");
        Assert.Equal(3, logger.Collector.Count);
        Assert.Contains("turnstile still failing: 25 verifications failed in the last 11 s", logger.LatestRecord.Message);

        outages.Answered("turnstile");
        outages.Answered("turnstile");
        Assert.Equal(4, logger.Collector.Count);
        Assert.Equal(LogLevel.Information, logger.LatestRecord.Level);
        Assert.Contains("turnstile answering again after 11 s of failures (26 verifications failed)", logger.LatestRecord.Message);
    }

    // Turnstile's idempotency key: the same for the same token (a retry is recognised), another for another, a UUID.
    [Fact]
    public void Turnstile_idempotency_key_is_derived_from_the_token()
    {
        var first = SiteVerifyProvider.IdempotencyKey("token-a");

        Assert.Equal(first, SiteVerifyProvider.IdempotencyKey("token-a"));
        Assert.NotEqual(first, SiteVerifyProvider.IdempotencyKey("token-b"));
        Assert.True(Guid.TryParseExact(first, "D", out _));
        Assert.Equal('8', first[14]);
    }
}
