using System.Collections.Concurrent;

namespace FraudGateway.Captcha;

/// <summary>
/// A provider that judges a token but answers after ProviderTimeoutMs has still spent it: its own retry of the same
/// token would say "already used". So the user waits at most ProviderTimeoutMs, but the call itself goes on (up to
/// <see cref="CallBound"/>) and, when the user's wait ended first, its answer is kept for a while under the token's
/// HMAC: the user's retry with the same token gets that answer (or joins the call still under way) instead of a
/// duplicate. Per instance: a retry that lands on another instance reaches the provider again (Turnstile then
/// recognises it by its idempotency key, derived from the token). Only the provider's answer is kept, never the token.
/// </summary>
internal sealed class LateAnswers(TimeProvider time) : IDisposable, State.IAgedState
{
    /// <summary>How long a siteverify call may run in all: the captcha HttpClient's timeout.</summary>
    public static readonly TimeSpan CallBound = TimeSpan.FromSeconds(30);

    /// <summary>How long an answer that came too late is kept for the retry.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(2);

    public const int MaxKept = 10_000;

    private readonly ConcurrentDictionary<string, (Task<SiteVerifyResult> Call, DateTimeOffset Until)> _kept = new(StringComparer.Ordinal);

    // Ends the calls still under way when the gateway stops.
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public int Count => _kept.Count;

    /// <summary>The provider's answer for the token within <paramref name="wait"/>; a call that outlasts the wait is kept
    /// (and reported as a provider timeout), and a later call with the same token id takes its answer.</summary>
    public async ValueTask<SiteVerifyResult> VerifyAsync(string tokenId, Func<CancellationToken, Task<SiteVerifyResult>> call, TimeSpan wait, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Task<SiteVerifyResult> running;
        if (_kept.TryGetValue(tokenId, out var kept) && kept.Until > now && !kept.Call.IsFaulted && !kept.Call.IsCanceled)
        {
            running = kept.Call;
        }
        else
        {
            // Not the request's token: the call must outlive the request that started it (not the gateway).
            running = call(_stopping.Token);
        }

        try
        {
            // A network wait is wall-clock time, like the HttpClient's own timeout, not the gateway clock tests move.
            var answer = await running.WaitAsync(wait, TimeProvider.System, cancellationToken);
            _kept.TryRemove(tokenId, out _);
            return answer;
        }
        catch (TimeoutException)
        {
            Keep(tokenId, running, now);
            throw new CaptchaProviderException("provider-timeout");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Keep(tokenId, running, now);
            throw;
        }
    }

    // Swept with the rest of the in-process state: nothing is kept past KeepFor, traffic or not.
    public void SweepExpired(DateTimeOffset now)
    {
        foreach (var (id, entry) in _kept)
        {
            if (entry.Until <= now)
            {
                _kept.TryRemove(id, out _);
            }
        }
    }

    // Idempotent: the container disposes it once as itself and once as the IAgedState it is also registered as.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private void Keep(string tokenId, Task<SiteVerifyResult> running, DateTimeOffset now)
    {
        // Observe a late failure so it is not an unobserved task exception.
        _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        if (_kept.Count >= MaxKept)
        {
            SweepExpired(now);
            if (_kept.Count >= MaxKept)
            {
                return;
            }
        }

        _kept[tokenId] = (running, now + KeepFor);
    }
}
