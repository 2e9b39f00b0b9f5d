using System.Text.Json;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;
using Microsoft.Net.Http.Headers;

namespace FraudGateway.Captcha;

// The captcha stage. Per policy: Never, Always, or WhenRisky (a rate limit of the policy has used RiskyAfterQuotaFraction of
// its quota, or the request has no user agent or a malformed X-Forwarded-For). A valid pass skips the captcha;
// otherwise a token is needed: malformed -> 400, replayed -> 403, refused by the provider or the gateway's checks
// -> 403, provider unable to answer -> the policy's OnProviderFailure. A request that needs one and has none gets
// 403 captcha-required naming the provider and site key (and, for proof of work, where to get a challenge).
internal sealed partial class CaptchaStage(
    CaptchaProviderRegistry providers,
    CaptchaPass passes,
    IGatewayStore store,
    SubjectHasher hasher,
    CaptchaOptions options,
    GatewayMetrics metrics,
    LateAnswers lateAnswers,
    ProviderOutageLog outages,
    TimeProvider time,
    ILogger<CaptchaStage> logger) : IGatewayStage
{
    public const string ChallengePath = "/.fraudgateway/pow/challenge";

    public string Name => "captcha";

    public bool RunsFor(GatewayPolicy policy) => policy.Captcha is not null || policy.EnforcesScoring || policy.Defense is not null;

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var own = feature.Policy.Captcha;
        var ownRequired = own is not null && (own.Mode == CaptchaMode.Always || feature.CaptchaReasons.Count > 0 || IsRisky(feature, own));
        var rung = feature.Challenge.Rung;
        if (!ownRequired && rung is null)
        {
            return StageResult.Continue;
        }

        // The ladder's captcha rung outranks the policy's own requirement; the policy's own captcha outranks the
        // ladder's proof of work.
        var policy = rung is not null && (!ownRequired || feature.Challenge.Kind == Captcha.LadderStepKind.Captcha) ? ForRung(own, rung.Provider) : own!;
        var needsCaptcha = providers.Find(policy.Provider) is not ProofOfWorkProvider;
        if (options.Pass.LifetimeSeconds > 0 && passes.IsValid(PresentedPass(context.Request), feature.Identity, needsCaptcha))
        {
            feature.AddVerdict(Name, "pass");
            return StageResult.Continue;
        }

        var read = await CaptchaTokenReader.ReadAsync(context.Request, options.TokenHeader, options.MaxBodyBytes, context.RequestAborted);
        if (read.Error is not null)
        {
            metrics.Captcha(policy.Provider, read.Error);
            return StageResult.Block("captcha-" + read.Error, GatewayProblems.InvalidCaptchaToken, Describe(read.Error));
        }

        var provider = providers.Find(policy.Provider);
        if (read.Token is null)
        {
            metrics.Captcha(policy.Provider, "required");
            return StageResult.Block("captcha-required", GatewayProblems.CaptchaRequired, null, json => WriteChallenge(json, provider, policy.Provider));
        }

        if (provider is null)
        {
            // Only after a reload that added a policy naming a provider added in the same edit: providers are read at start.
            Log.ProviderMissing(logger, policy.Provider);
            return ProviderFailed(feature, policy, "provider-not-loaded");
        }

        var tokenId = hasher.Hash("captcha-token", read.Token);
        try
        {
            if (!await store.TryClaimOnceAsync(tokenId, context.TraceIdentifier, TimeSpan.FromSeconds(options.MaxTokenAgeSeconds + 60), context.RequestAborted))
            {
                metrics.Captcha(policy.Provider, "replayed");
                return StageResult.Block("captcha-replayed", GatewayProblems.CaptchaReplayed);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            SiteVerifyResult result;
            try
            {
                var token = read.Token;
                var address = feature.Identity.Address;
                result = provider is SiteVerifyProvider
                    ? await lateAnswers.VerifyAsync(tokenId, ct => provider.VerifyAsync(token, address, ct).AsTask(), TimeSpan.FromMilliseconds(options.ProviderTimeoutMs), context.RequestAborted)
                    : await provider.VerifyAsync(token, address, context.RequestAborted);
                outages.Answered(policy.Provider);
            }
            catch (CaptchaProviderException)
            {
                metrics.CaptchaDuration(policy.Provider, "failed", System.Diagnostics.Stopwatch.GetElapsedTime(started));
                throw;
            }

            metrics.CaptchaDuration(policy.Provider, "answered", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            var check = CaptchaChecks.Evaluate(result, provider, policy, time.GetUtcNow(), TimeSpan.FromSeconds(options.MaxTokenAgeSeconds));
            metrics.Captcha(policy.Provider, check.Reason);
            if (!check.Passed)
            {
                return StageResult.Block("captcha-" + check.Reason, GatewayProblems.CaptchaInvalid, Describe(check.Reason),
                    json => WriteChallenge(json, provider, policy.Provider));
            }
        }
        catch (CaptchaProviderException e)
        {
            // The provider did not answer (timeout, 5xx, network, an unreadable answer): the token was not judged,
            // so this request's claim on it is given back and the user's retry with the same token is not a replay.
            // A provider that answered (yes or no) leaves the claim in place.
            outages.Failed(policy.Provider, e.Reason);
            await ReleaseClaimAsync(tokenId, context);
            return ProviderFailed(feature, policy, e.Reason);
        }
        catch (StoreUnavailableException)
        {
            // Without the single-use check a token could be replayed: treat it like a provider that cannot answer.
            return ProviderFailed(feature, policy, "store-unavailable");
        }

        feature.AddVerdict(Name, "verified");
        feature.SolvedProofOfWork = provider is ProofOfWorkProvider;
        if (options.Pass.LifetimeSeconds > 0)
        {
            IssuePass(context, feature, solvedCaptcha: provider is not ProofOfWorkProvider);
        }

        return StageResult.Continue;
    }

    private async Task ReleaseClaimAsync(string tokenId, HttpContext context)
    {
        try
        {
            await store.ReleaseClaimAsync(tokenId, context.TraceIdentifier, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            // The claim then lapses with its TTL; the store's failure is logged by the store.
        }
    }

    private StageResult ProviderFailed(FraudGatewayFeature feature, PolicyCaptcha policy, string reason)
    {
        metrics.Captcha(policy.Provider, reason);
        if (policy.FailOpen)
        {
            feature.AddVerdict(Name, "skipped-" + reason);
            return StageResult.Continue;
        }

        return StageResult.Block("captcha-" + reason, GatewayProblems.CaptchaUnavailable);
    }

    // A ladder rung's provider with the policy's own captcha settings (action, minimum score, failure policy), or the
    // defaults when the policy has no Captcha section (a provider that cannot answer: fail closed).
    private static PolicyCaptcha ForRung(PolicyCaptcha? own, string provider) => new()
    {
        Mode = CaptchaMode.WhenRisky,
        Provider = provider,
        Action = own?.Action,
        MinScore = own?.MinScore ?? 0.5,
        RiskyAfterQuotaFraction = own?.RiskyAfterQuotaFraction ?? 0.5,
        OnProviderFailure = own?.OnProviderFailure ?? ProviderFailureAction.FailClosed,
    };

    private static bool IsRisky(FraudGatewayFeature feature, PolicyCaptcha policy)
    {
        if (policy.Mode != CaptchaMode.WhenRisky)
        {
            return false;
        }

        if (feature.Identity.UserAgent.Length == 0 || feature.Identity.ForwardedForMalformed)
        {
            return true;
        }

        if (feature.Counters is { } counters)
        {
            var rules = feature.Policy.RateLimits;
            for (var i = 0; i < counters.Decisions.Length; i++)
            {
                if (counters.Decisions[i].IsUnknown)
                {
                    continue;
                }

                // Against what Remaining counts down from: a token bucket's burst, not its rate.
                var used = rules[i].Capacity - counters.Decisions[i].Remaining;
                if (used >= policy.RiskyAfterQuotaFraction * rules[i].Capacity)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private string? PresentedPass(HttpRequest request) => CaptchaPass.Presented(request, options.Pass);

    // The pass goes out as a cookie (browsers) and a header (API clients send it back in the same header).
    private void IssuePass(HttpContext context, FraudGatewayFeature feature, bool solvedCaptcha)
    {
        var lifetime = TimeSpan.FromSeconds(options.Pass.LifetimeSeconds);
        var pass = passes.Issue(feature.Identity, lifetime, solvedCaptcha);
        var cookie = new SetCookieHeaderValue(options.Pass.CookieName, pass)
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Path = "/",
            MaxAge = lifetime,
        }.ToString();
        context.Response.OnStarting(static state =>
        {
            var (response, cookieValue, headerName, passValue) = ((HttpResponse, string, string, string))state;
            response.Headers.Append(HeaderNames.SetCookie, cookieValue);
            response.Headers[headerName] = passValue;
            return Task.CompletedTask;
        }, (context.Response, cookie, options.Pass.HeaderName, pass));
    }

    private static void WriteChallenge(Utf8JsonWriter json, ICaptchaProvider? provider, string name)
    {
        json.WriteStartObject("captcha");
        json.WriteString("provider", name);
        if (provider is not null)
        {
            json.WriteString("type", provider.Type.ToString());
            if (provider is ProofOfWorkProvider pow)
            {
                json.WriteString("challengeUrl", ChallengePath + "?provider=" + Uri.EscapeDataString(name));
                json.WriteNumber("difficulty", pow.Difficulty);
                json.WriteString("solver", "/.fraudgateway/pow.js");
            }
            else
            {
                json.WriteString("siteKey", provider.SiteKey);
            }
        }

        json.WriteEndObject();
    }

    private static string Describe(string reason) => reason switch
    {
        "token-header-repeated" => "Send the captcha token in one header only.",
        "token-header-and-body-disagree" => "The captcha token in the header and in the body differ.",
        "token-empty" => "The captcha token is empty.",
        "token-too-long" => $"The captcha token is longer than {CaptchaTokenReader.MaxTokenChars} characters.",
        "token-not-printable-ascii" => "The captcha token contains characters no provider issues.",
        "token-expired-or-duplicate" => "The captcha token has expired or was already used.",
        "token-too-old" => "The captcha was solved too long ago.",
        "hostname-mismatch" => "The captcha was solved on another site.",
        "action-mismatch" => "The captcha was solved for another action.",
        "score-too-low" => "The captcha score is too low.",
        _ => "The captcha token was not accepted.",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.CaptchaProviderMissing, EventName = nameof(LogEvents.CaptchaProviderMissing), Level = LogLevel.Error, Message = "Captcha provider {Provider} is named by a policy but was not loaded at start; restart the gateway to load new providers.")]
        public static partial void ProviderMissing(ILogger logger, string provider);
    }
}
