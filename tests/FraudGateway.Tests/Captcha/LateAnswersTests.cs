using FraudGateway.Captcha;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Captcha;

// A provider's answer that comes after the user stopped waiting serves the user's retry with the same token, and is
// kept no longer than KeepFor. The provider's slowness is controlled (a call that answers when the test says).
public sealed class LateAnswersTests
{
    private static readonly SiteVerifyResult Passed = new(true, [], "example.com", null, null, null);

    [Fact]
    public async Task A_late_answer_is_the_retrys_answer_and_is_swept_after_its_lifetime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        using var late = new LateAnswers(time);
        var provider = new TaskCompletionSource<SiteVerifyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        Task<SiteVerifyResult> Call(CancellationToken _)
        {
            calls++;
            return provider.Task;
        }

        var first = await Assert.ThrowsAsync<CaptchaProviderException>(() => late.VerifyAsync("token-1", Call, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask());
        Assert.Equal("provider-timeout", first.Reason);
        Assert.Equal(1, late.Count);

        provider.SetResult(Passed);
        var retry = await late.VerifyAsync("token-1", Call, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Same(Passed, retry);
        Assert.Equal(1, calls);
        Assert.Equal(0, late.Count);

        // Kept for KeepFor only, traffic or not.
        await Assert.ThrowsAsync<CaptchaProviderException>(() => late.VerifyAsync("token-2", _ => new TaskCompletionSource<SiteVerifyResult>().Task, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask());
        late.SweepExpired(time.GetUtcNow());
        Assert.Equal(1, late.Count);
        time.Advance(LateAnswers.KeepFor);
        late.SweepExpired(time.GetUtcNow());
        Assert.Equal(0, late.Count);
    }

    // The container disposes it twice (as itself and as IAgedState): the second is a no-op.
    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var late = new LateAnswers(new FakeTimeProvider());
        late.Dispose();
        late.Dispose();
    }
}
